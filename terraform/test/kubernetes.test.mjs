import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { modulesDir, parseModule, parseTf } from './support.mjs';

const json = await parseModule('agent-kubernetes');
const resources = json.resource;
const deployment = resources.kubernetes_deployment_v1.agent[0];
const pod = deployment.spec[0].template[0].spec[0];
const agent = pod.container.find((c) => c.name === 'agent');

test('the module creates a namespace, secret, config map, deployment and service', () => {
  for (const type of [
    'kubernetes_namespace_v1',
    'kubernetes_secret_v1',
    'kubernetes_config_map_v1',
    'kubernetes_deployment_v1',
    'kubernetes_service_v1',
  ]) {
    assert.ok(resources[type], `${type} is declared`);
  }
});

test('the agent container has a liveness probe on /healthz and a readiness probe on /readyz', () => {
  assert.equal(agent.liveness_probe[0].http_get[0].path, '/healthz');
  assert.equal(agent.readiness_probe[0].http_get[0].path, '/readyz');
});

test('the agent container has resource requests and limits, with cpu and memory limits by default', () => {
  assert.ok(agent.resources[0].limits, 'limits are set');
  assert.ok(agent.resources[0].requests, 'requests are set');
  const defaults = json.variable.resources[0].default;
  assert.ok(defaults.limits.cpu && defaults.limits.memory);
  assert.ok(defaults.requests.cpu && defaults.requests.memory);
});

test('every container runs as non-root on a read-only root file system without privilege escalation', () => {
  assert.equal(pod.security_context[0].run_as_non_root, true);
  for (const container of [...pod.container, ...pod.init_container]) {
    const context = container.security_context[0];
    assert.equal(context.run_as_non_root, true, container.name);
    assert.equal(context.read_only_root_filesystem, true, container.name);
    assert.equal(context.allow_privilege_escalation, false, container.name);
    assert.deepEqual(context.capabilities[0].drop, ['ALL'], container.name);
  }
});

test('the token reaches the pod only through the secret, never the config map', () => {
  assert.match(resources.kubernetes_secret_v1.token[0].data.token, /var\.agent_token/);
  assert.doesNotMatch(json.locals.map((l) => l.agent_config ?? '').join(''), /agent_token/);
  assert.ok(pod.volume.some((v) => v.secret?.[0]?.secret_name?.includes('kubernetes_secret_v1.token')));
});

test('the init container verifies the checksum before unpacking the distribution', () => {
  const script = json.locals.find((l) => l.fetch_script).fetch_script;
  const verify = script.indexOf('sha256sum');
  const unpack = script.indexOf('tar -xzf');
  assert.ok(verify > 0 && unpack > verify, 'sha256sum comes before tar');
  assert.match(script, /refusing to install/);
});

test('the deployment runs exactly one agent, replaced rather than rolled', () => {
  assert.equal(deployment.spec[0].replicas, 1);
  assert.equal(deployment.spec[0].strategy[0].type, 'Recreate');
});

test('the service exposes the health port and every listener port', () => {
  const service = resources.kubernetes_service_v1.agent[0].spec[0];
  assert.equal(service.port[0].name, 'health');
  assert.ok(service.dynamic.port, 'listener ports are added from var.listener_ports');
});

const agentConfig = json.locals.find((l) => l.agent_config).agent_config;
const kekDir = json.locals.find((l) => l.kek_dir).kek_dir;

test('keys are sealed under a key-encryption key the module generates once, independent of the token', () => {
  const password = resources.random_password.key_encryption_key[0];
  assert.ok(password.length >= 32, `a long key, got ${password.length} characters`);
  // Nothing ties the key to the token: no keepers, so a new token never replaces it.
  assert.ok(!('keepers' in password), 'no keepers that would replace the key');
  assert.doesNotMatch(JSON.stringify(password), /agent_token/);

  const secret = resources.kubernetes_secret_v1.key_encryption_key[0];
  assert.equal(secret.data['key-encryption-key'], '${random_password.key_encryption_key[0].result}');
  assert.doesNotMatch(JSON.stringify(secret), /agent_token/);
  assert.notEqual(secret.metadata[0].name, resources.kubernetes_secret_v1.token[0].metadata[0].name);

  assert.equal(kekDir, '/var/run/secrets/ward-agent-key-encryption-key');
  assert.match(agentConfig, /"key-encryption-key-file=\$\{local\.kek_dir\}\/key-encryption-key"/);
});

test('the key-encryption key is mounted read-only from its own secret, or from one the caller names', () => {
  const volume = pod.volume.find((v) => v.name === 'key-encryption-key');
  assert.equal(volume.secret[0].secret_name, '${local.kek_secret_name}');
  assert.deepEqual(volume.secret[0].items, [{ key: 'key-encryption-key', path: 'key-encryption-key' }]);
  const mount = agent.volume_mount.find((m) => m.name === 'key-encryption-key');
  assert.equal(mount.mount_path, '${local.kek_dir}');
  assert.equal(mount.read_only, true);

  const name = json.locals.find((l) => l.kek_secret_name).kek_secret_name;
  assert.match(name, /var\.key_encryption_key_secret_name != "" \? var\.key_encryption_key_secret_name : kubernetes_secret_v1\.key_encryption_key\[0\]/);
  for (const generated of [resources.random_password.key_encryption_key[0], resources.kubernetes_secret_v1.key_encryption_key[0]]) {
    assert.equal(generated.count, '${var.key_encryption_key_secret_name == "" ? 1 : 0}');
  }
});

test('the module declares the random provider it generates the key with', async () => {
  const versions = await parseTf(path.join(modulesDir, 'agent-kubernetes', 'versions.tf'));
  const providers = versions.terraform[0].required_providers[0];
  assert.equal(providers.random.source, 'hashicorp/random');
});

test('extra_settings cannot replace the key-encryption key the module sets', () => {
  const conditions = json.variable.extra_settings[0].validation.map((v) => v.condition).join('\n');
  assert.match(conditions, /"key-encryption-key-file"/);
});
