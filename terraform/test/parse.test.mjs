import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { modules, parseTf, root, tfFiles } from './support.mjs';

test('both install modules exist', () => {
  assert.deepEqual(modules, ['agent-kubernetes', 'agent-linux']);
});

for (const file of tfFiles()) {
  test(`${path.relative(root, file)} parses with HashiCorp's HCL parser`, async () => {
    const json = await parseTf(file);
    assert.equal(typeof json, 'object');
    assert.ok(Object.keys(json).length > 0, 'the file declares something');
  });
}

for (const name of modules) {
  test(`${name} has an example that uses the module`, async () => {
    const examples = tfFiles(path.join(root, 'modules', name, 'examples'));
    assert.ok(examples.length > 0, 'an example exists');
    const sources = [];
    for (const file of examples) {
      const json = await parseTf(file);
      for (const blocks of Object.values(json.module ?? {})) {
        sources.push(...blocks.map((b) => b.source));
      }
    }
    assert.ok(sources.includes('../..'), `an example calls the module, got ${sources}`);
  });
}
