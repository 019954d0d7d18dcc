import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modules, parseModule, readmeTable } from './support.mjs';

const sorted = (it) => [...it].sort();

for (const name of modules) {
  test(`${name}: the README documents exactly the declared variables`, async () => {
    const declared = Object.keys((await parseModule(name)).variable ?? {});
    assert.ok(declared.length > 0);
    assert.deepEqual(sorted(readmeTable(name, 'Inputs').keys()), sorted(declared));
  });

  test(`${name}: the README documents exactly the declared outputs`, async () => {
    const declared = Object.keys((await parseModule(name)).output ?? {});
    assert.ok(declared.length > 0);
    assert.deepEqual(sorted(readmeTable(name, 'Outputs').keys()), sorted(declared));
  });

  test(`${name}: the README says which inputs are required, as the declarations do`, async () => {
    const variables = (await parseModule(name)).variable;
    for (const [variable, [, , , required]] of readmeTable(name, 'Inputs')) {
      const hasDefault = 'default' in variables[variable][0];
      assert.equal(required, hasDefault ? 'no' : 'yes', `required column of ${variable}`);
    }
  });

  test(`${name}: the agent token is a sensitive variable without a default`, async () => {
    const token = (await parseModule(name)).variable.agent_token?.[0];
    assert.ok(token, 'agent_token is declared');
    assert.equal(token.sensitive, true);
    assert.ok(!('default' in token));
  });

  test(`${name}: every variable or output named like a secret is sensitive`, async () => {
    const json = await parseModule(name);
    for (const [kind, blocks] of [['variable', json.variable], ['output', json.output]]) {
      for (const [key, [block]] of Object.entries(blocks ?? {})) {
        if (/token|secret|password|user_data/.test(key) && !/_name$/.test(key)) {
          assert.equal(block.sensitive, true, `${kind} ${key} is sensitive`);
        }
      }
    }
  });

  test(`${name}: the README's sensitive column matches the outputs`, async () => {
    const outputs = (await parseModule(name)).output;
    for (const [output, [, sensitive]] of readmeTable(name, 'Outputs')) {
      assert.equal(sensitive, outputs[output][0].sensitive === true ? 'yes' : 'no', output);
    }
  });
}
