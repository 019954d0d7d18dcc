import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { modulesDir, parseModule, renderTemplate, templateVariables } from './support.mjs';

const templatePath = path.join(modulesDir, 'agent-linux', 'templates', 'install.sh.tftpl');
const template = fs.readFileSync(templatePath, 'utf8');
const token = 'wat_' + 'T'.repeat(43);
const version = '9.9.9-test';

/** The variables the agent-linux module passes to templatefile(), by name. */
async function templatefileKeys() {
  const locals = (await parseModule('agent-linux')).locals;
  const call = locals.find((l) => l.install_script).install_script;
  assert.match(call, /templatefile\("\$\{path\.module\}\/templates\/install\.sh\.tftpl"/);
  const body = call.slice(call.indexOf('{\n'));
  return new Set([...body.matchAll(/^\s+([a-z_]+)\s+=/gm)].map((m) => m[1]));
}

function render(overrides = {}) {
  return renderTemplate(template, {
    control_plane_url: 'https://ward.example.com',
    distribution_url: 'https://ward.example.com/api/v1/distribution',
    agent_version: version,
    prefix: '/opt/ward-agent',
    data_dir: '/var/lib/ward-agent',
    health_port: '9464',
    java_package_deb: 'openjdk-21-jre-headless',
    java_package_rpm: 'java-21-openjdk-headless',
    manage_system: 'true',
    extra_settings: 'health-host=127.0.0.1',
    ...overrides,
  });
}

test('the module passes the template exactly the variables it uses', async () => {
  assert.deepEqual([...(await templatefileKeys())].sort(), [...templateVariables(template)].sort());
});

/**
 * Evaluates an expression in the agent-linux module with Terraform itself, in a copy of the
 * module (init writes into the directory); null when this machine has no terraform (it is not
 * packaged by Debian). The module uses no provider, so init needs no network.
 */
function terraformEval(expression, vars) {
  if (spawnSync('terraform', ['version']).status !== 0) {
    console.log('# terraform not installed: the module was not evaluated by Terraform');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-tf-'));
  try {
    fs.cpSync(path.join(modulesDir, 'agent-linux'), dir, { recursive: true });
    const cliConfig = path.join(dir, 'terraformrc');
    fs.writeFileSync(cliConfig, '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1' };
    const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stdout + init.stderr);
    const args = ['console', '-no-color', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])];
    return spawnSync('terraform', args, { cwd: dir, env, input: `jsonencode(${expression})\n`, encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const moduleVars = {
  control_plane_url: 'https://ward.example.com',
  agent_token: token,
  agent_version: version,
  extra_settings: '{"health-host"="127.0.0.1"}',
};

test('the template uses only substitutions, which every renderer of it supports', () => {
  assert.doesNotThrow(() => render());
  assert.doesNotMatch(template.replaceAll('%%{', ''), /%\{/);
  // Terraform's own templatefile() gives the script this file's renderer (and the control
  // plane's) gives for the module's defaults.
  const terraform = terraformEval('local.install_script', moduleVars);
  if (terraform) {
    assert.equal(terraform.status, 0, terraform.stderr);
    assert.equal(JSON.parse(JSON.parse(terraform.stdout)), render());
  }
});

test('the rendered script passes bash -n and shellcheck', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-install-lint-'));
  try {
    for (const manage of ['true', 'false']) {
      const file = path.join(dir, `install-${manage}.sh`);
      fs.writeFileSync(file, render({ manage_system: manage }));
      execFileSync('bash', ['-n', file]);
      // shellcheck is installed by scripts/install-prerequisites.sh; a machine without it
      // still gets the syntax check above.
      if (spawnSync('shellcheck', ['--version']).status === 0) {
        const lint = spawnSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' });
        assert.equal(lint.status, 0, lint.stdout + lint.stderr);
      } else {
        console.log('# shellcheck not installed: only bash -n was run');
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the rendered script holds no token and the systemd unit it writes restarts and is hardened', () => {
  const script = render();
  assert.doesNotMatch(script, /wat_[A-Za-z0-9]{20}/);
  for (const option of [
    'Restart=always',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'ReadWritePaths=$DATA_DIR',
    'PrivateTmp=true',
    'ProtectHome=true',
  ]) {
    assert.ok(script.includes(option), option);
  }
});

// --- the script run for real, against a temporary prefix and a local distribution server ---

let work;
let server;
let baseUrl;
let javaHome;
const files = new Map();

function sha256(buffer) {
  return crypto.createHash('sha256').update(buffer).digest('hex');
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-install-'));
  // A distribution with the layout the agent module builds.
  const top = path.join(work, 'build', `ward-agent-${version}`);
  fs.mkdirSync(path.join(top, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(top, 'lib'));
  fs.writeFileSync(path.join(top, 'bin', 'ward-agent'), '#!/bin/sh\necho agent\n', { mode: 0o755 });
  fs.writeFileSync(path.join(top, 'ward-agent.jar'), 'jar');
  fs.writeFileSync(path.join(top, 'lib', 'dep.jar'), 'dep');
  const tarball = path.join(work, `ward-agent-${version}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', path.join(work, 'build'), `ward-agent-${version}`]);
  const bytes = fs.readFileSync(tarball);
  files.set(`/agent/${version}/ward-agent-${version}.tar.gz`, bytes);
  files.set(
    `/agent/${version}/ward-agent-${version}.tar.gz.sha256`,
    `${sha256(bytes)}  ward-agent-${version}.tar.gz\n`,
  );
  // A Java 21 runtime as far as the script can tell: it only asks for the version.
  javaHome = path.join(work, 'jdk');
  fs.mkdirSync(path.join(javaHome, 'bin'), { recursive: true });
  fs.writeFileSync(
    path.join(javaHome, 'bin', 'java'),
    '#!/bin/sh\necho \'openjdk version "21.0.5" 2024-10-15\' >&2\n',
    { mode: 0o755 },
  );
  server = http.createServer((req, res) => {
    const body = files.get(req.url);
    res.writeHead(body === undefined ? 404 : 200);
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Runs bash on a script without blocking this process, which also serves the downloads. */
function bash(script, env, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function install(prefix, env = {}, args = []) {
  const script = path.join(work, `install-${path.basename(prefix)}.sh`);
  fs.writeFileSync(
    script,
    render({
      control_plane_url: baseUrl,
      distribution_url: baseUrl,
      prefix,
      data_dir: path.join(prefix, 'data'),
      manage_system: 'false',
    }),
  );
  return bash(script, { PATH: process.env.PATH, HOME: work, JAVA_HOME: javaHome, ...env }, args);
}

/** A PATH whose systemctl reports the given systemd version, as the real one does. */
function systemdOfVersion(version) {
  const bin = path.join(work, `systemd-${version}`, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'systemctl'),
    `#!/bin/sh\n[ "$1" = --version ] && echo 'systemd ${version} (${version}.1-1)' && echo '+PAM +AUDIT'\n`,
    { mode: 0o755 },
  );
  return `${bin}:${process.env.PATH}`;
}

test('the script installs the verified distribution, config and 0600 token under the prefix', async () => {
  const prefix = path.join(work, 'fresh');
  const run = await install(prefix, { WARD_AGENT_TOKEN: token });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /checksum verified/);
  assert.equal(fs.readlinkSync(path.join(prefix, 'current')), `versions/ward-agent-${version}`);
  assert.ok(fs.statSync(path.join(prefix, 'current', 'bin', 'ward-agent')).mode & 0o100);
  const config = fs.readFileSync(path.join(prefix, 'etc', 'agent.conf'), 'utf8');
  assert.match(config, new RegExp(`^control-plane=${baseUrl}$`, 'm'));
  assert.match(config, new RegExp(`^token-file=${prefix}/etc/agent.token$`, 'm'));
  assert.match(config, new RegExp(`^data-dir=${prefix}/data$`, 'm'));
  assert.match(config, /^health-port=9464$/m);
  assert.match(config, /^health-host=127\.0\.0\.1$/m);
  assert.doesNotMatch(config, /wat_/);
  const tokenFile = path.join(prefix, 'etc', 'agent.token');
  assert.equal(fs.readFileSync(tokenFile, 'utf8').trim(), token);
  assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
  assert.equal(fs.readFileSync(path.join(prefix, 'etc', 'ward-agent.env'), 'utf8'), `JAVA_HOME=${javaHome}\n`);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(token));
});

test('running the script again upgrades in place and keeps the installed token', async () => {
  const prefix = path.join(work, 'upgrade');
  assert.equal((await install(prefix, { WARD_AGENT_TOKEN: token })).status, 0);
  const again = await install(prefix);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(fs.readFileSync(path.join(prefix, 'etc', 'agent.token'), 'utf8').trim(), token);
});

test('a reinstall with a rotated token keeps the previous one for the agent to re-seal its keys', async () => {
  const prefix = path.join(work, 'rotated');
  assert.equal((await install(prefix, { WARD_AGENT_TOKEN: token })).status, 0);
  assert.equal(fs.existsSync(path.join(prefix, 'etc', 'agent.token.previous')), false);
  const rotated = `${token}-rotated`;
  const again = await install(prefix, { WARD_AGENT_TOKEN: rotated });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(fs.readFileSync(path.join(prefix, 'etc', 'agent.token'), 'utf8').trim(), rotated);
  const previous = path.join(prefix, 'etc', 'agent.token.previous');
  assert.equal(fs.readFileSync(previous, 'utf8').trim(), token);
  assert.equal(fs.statSync(previous).mode & 0o777, 0o600);
  const config = fs.readFileSync(path.join(prefix, 'etc', 'agent.conf'), 'utf8');
  assert.match(config, new RegExp(`^previous-token-file=${prefix}/etc/agent.token.previous$`, 'm'));
  assert.doesNotMatch(again.stdout + again.stderr, new RegExp(token));
});

test('the token can come from a file', async () => {
  const prefix = path.join(work, 'from-file');
  const tokenSource = path.join(work, 'token-source');
  fs.writeFileSync(tokenSource, `${token}\n`, { mode: 0o600 });
  const run = await install(prefix, { WARD_AGENT_TOKEN_FILE: tokenSource });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(fs.readFileSync(path.join(prefix, 'etc', 'agent.token'), 'utf8').trim(), token);
});

test('without a token the script stops and says where the token comes from', async () => {
  const run = await install(path.join(work, 'no-token'));
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /no agent token: set WARD_AGENT_TOKEN/);
});

test('a tampered checksum makes the script refuse to install anything', async () => {
  const key = `/agent/${version}/ward-agent-${version}.tar.gz.sha256`;
  const good = files.get(key);
  files.set(key, `${'0'.repeat(64)}  ward-agent-${version}.tar.gz\n`);
  try {
    const prefix = path.join(work, 'tampered');
    const run = await install(prefix, { WARD_AGENT_TOKEN: token });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /checksum mismatch .* refusing to install/);
    assert.ok(!fs.existsSync(path.join(prefix, 'current')), 'nothing was installed');
  } finally {
    files.set(key, good);
  }
});

test('a version the control plane does not serve fails with a message naming it', async () => {
  const prefix = path.join(work, 'missing');
  const script = path.join(work, 'install-missing.sh');
  fs.writeFileSync(
    script,
    render({ distribution_url: baseUrl, prefix, data_dir: `${prefix}/data`, manage_system: 'false', agent_version: '1.0.0' }),
  );
  const run = await bash(script, { PATH: process.env.PATH, JAVA_HOME: javaHome, WARD_AGENT_TOKEN: token });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /check that the control plane serves version 1\.0\.0/);
});

test('with systemd 247 or newer the unit passes the token, the previous token and the key-encryption key as credentials', async () => {
  const prefix = path.join(work, 'credentials');
  assert.equal((await install(prefix, { WARD_AGENT_TOKEN: token })).status, 0);
  const etc = path.join(prefix, 'etc');
  fs.writeFileSync(path.join(etc, 'agent.token.previous'), `${token}-before\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(etc, 'key-encryption-key.cred'), 'encrypted by systemd-creds', { mode: 0o600 });

  const run = await install(prefix, { PATH: systemdOfVersion(252) }, ['--print-unit']);
  assert.equal(run.status, 0, run.stderr);
  const unit = run.stdout;
  assert.match(unit, new RegExp(`^LoadCredential=token:${etc}/agent.token$`, 'm'));
  assert.match(unit, new RegExp(`^LoadCredential=previous-token:${etc}/agent.token.previous$`, 'm'));
  assert.match(unit, new RegExp(`^LoadCredentialEncrypted=key-encryption-key:${etc}/key-encryption-key.cred$`, 'm'));
  assert.match(unit, new RegExp(`^ExecStart=${prefix}/current/bin/ward-agent --config ${etc}/agent.conf$`, 'm'));
  // No secret travels in the unit or its environment.
  assert.doesNotMatch(unit, /wat_/);
  assert.doesNotMatch(unit, /^Environment=/m);

  // systemd's own checker, where this machine has it: every key known, ExecStart executable.
  if (spawnSync('systemd-analyze', ['--version']).status === 0) {
    const dir = fs.mkdtempSync(path.join(work, 'unit-'));
    const file = path.join(dir, 'ward-agent.service');
    fs.writeFileSync(file, unit);
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.equal(verify.stdout + verify.stderr, '', 'systemd-analyze verify has nothing to say');
  } else {
    console.log('# systemd-analyze not installed: the unit was not verified by systemd');
  }
});

test('a credential the host does not hold is left out of the unit, since systemd would refuse to start it', async () => {
  const prefix = path.join(work, 'credentials-first-install');
  assert.equal((await install(prefix, { WARD_AGENT_TOKEN: token })).status, 0);
  const run = await install(prefix, { PATH: systemdOfVersion(255) }, ['--print-unit']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^LoadCredential=token:/m);
  assert.doesNotMatch(run.stdout, /previous-token|key-encryption-key/);
});

test('with systemd older than 247, which has no credentials, the unit loads none', async () => {
  const prefix = path.join(work, 'old-systemd');
  const run = await install(prefix, { PATH: systemdOfVersion(245) }, ['--print-unit']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^ExecStart=/m);
  assert.doesNotMatch(run.stdout, /LoadCredential/);
  assert.ok(!fs.existsSync(path.join(prefix, 'current')), '--print-unit installs nothing');
});

test('WARD_AGENT_KEY_ENCRYPTION takes what systemd-creds encrypts with, and needs the systemd unit', async () => {
  const wrong = await install(path.join(work, 'kek-wrong'), { WARD_AGENT_TOKEN: token, WARD_AGENT_KEY_ENCRYPTION: 'tpm3' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /WARD_AGENT_KEY_ENCRYPTION must be auto, host, tpm2 or host\+tpm2/);
  const unmanaged = await install(path.join(work, 'kek-unmanaged'), { WARD_AGENT_TOKEN: token, WARD_AGENT_KEY_ENCRYPTION: 'host' });
  assert.notEqual(unmanaged.status, 0);
  assert.match(unmanaged.stderr, /WARD_AGENT_KEY_ENCRYPTION needs the systemd unit/);
  assert.ok(!fs.existsSync(path.join(work, 'kek-unmanaged', 'current')), 'nothing was installed');
});

test('the module hands key_encryption to the install script it runs from cloud-init', async () => {
  const userData = (await parseModule('agent-linux')).locals.find((l) => l.user_data).user_data;
  assert.match(userData, /"WARD_AGENT_KEY_ENCRYPTION=\$\{var\.key_encryption\}", "\/usr\/local\/sbin\/ward-agent-install"/);
  const terraform = terraformEval('nonsensitive(local.user_data)', { ...moduleVars, key_encryption: 'tpm2' });
  if (terraform) {
    assert.equal(terraform.status, 0, terraform.stderr);
    assert.match(
      JSON.parse(JSON.parse(terraform.stdout)),
      /- "env"\n {2}- "WARD_AGENT_TOKEN_FILE=\/run\/ward-agent-install\/token"\n {2}- "WARD_AGENT_KEY_ENCRYPTION=tpm2"\n {2}- "\/usr\/local\/sbin\/ward-agent-install"/,
    );
    const wrong = terraformEval('local.user_data', { ...moduleVars, key_encryption: 'tpm3' });
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /key_encryption must be empty, auto, host, tpm2 or host\+tpm2/);
  }
});
