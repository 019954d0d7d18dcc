package dev.ward.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.ControlPlaneProcess;
import dev.ward.stack.Database;
import dev.ward.stack.LocalPostgres;
import dev.ward.stack.Ports;
import dev.ward.stack.WardApi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A real control plane process on a fresh database of the machine's PostgreSQL, with one tenant,
 * for integration tests. Logs go to the build's log folder ({@link BuildLogs}) so a failure can be
 * read and the final scan finds any secret in them.
 */
final class ControlPlaneFixture implements AutoCloseable {

  final LocalPostgres postgres = LocalPostgres.fromEnvironment();
  final Database db;
  final String bootstrap = BuildLogs.watched("wboot_it-" + UUID.randomUUID());
  final String masterKey = BuildLogs.watched(ControlPlaneProcess.randomMasterKey());
  final int port = Ports.free();
  final Path logs;
  ControlPlaneProcess process;
  WardApi api;
  String tenantAdminToken;
  private final Map<String, String> extraEnv;

  ControlPlaneFixture(String name) throws Exception {
    this(name, Map.of());
  }

  /** With more WARD_* settings for the control plane (e.g. its recordings bucket). */
  ControlPlaneFixture(String name, Map<String, String> extraEnv) throws Exception {
    this.extraEnv = extraEnv;
    this.logs = BuildLogs.folder(name);
    this.db = postgres.createDatabase("ward_it");
    start();
    JsonNode tenant =
        new WardApi(url(), bootstrap)
            .post("/api/v1/admin/tenants", Map.of("slug", "it-" + name, "name", "IT " + name))
            .expect(201);
    tenantAdminToken = tenant.get("adminToken").asText();
    api = new WardApi(url(), tenantAdminToken);
  }

  /** Starts (or restarts) the control plane on the same port and database. */
  void start() throws IOException {
    process =
        new ControlPlaneProcess(db, port, bootstrap, env(), logs.resolve("control-plane.log"))
            .start();
  }

  private Map<String, String> env() {
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("WARD_MASTER_KEY", masterKey);
    return env;
  }

  void stop() {
    process.stop();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Registers an agent and returns its one-time token. */
  String registerAgent(String name) throws IOException {
    return api.post("/api/v1/agents", Map.of("name", name)).expect(201).get("token").asText();
  }

  /** The agent named so, as GET /api/v1/agents shows it. */
  JsonNode agent(String name) throws IOException {
    for (JsonNode a : api.get("/api/v1/agents?size=200").expect(200).get("items")) {
      if (a.get("name").asText().equals(name)) {
        return a;
      }
    }
    throw new AssertionError("no agent named " + name);
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.stop();
    }
    postgres.dropDatabase(db);
  }
}
