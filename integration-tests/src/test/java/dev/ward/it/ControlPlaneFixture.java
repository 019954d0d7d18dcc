package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.ControlPlaneProcess;
import dev.ward.stack.Database;
import dev.ward.stack.LocalPostgres;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.S3Server;
import dev.ward.stack.WardApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real control plane process on a fresh database of the machine's PostgreSQL, with one tenant,
 * for integration tests; optionally with S3-compatible storage holding the recordings bucket it
 * reads. Logs go to the build's log folder ({@link BuildLogs}) so a failure can be read and the
 * final scan finds any secret in them. Beside the process it holds what the tests do with it again
 * and again: create connections, mint grants, start agents; {@link #sessions} finds, verifies and
 * replays the sessions they recorded.
 */
final class ControlPlaneFixture implements AutoCloseable {

  /** The bucket recordings go to when the fixture has storage. */
  static final String RECORDINGS_BUCKET = "recordings";

  private static final ObjectMapper JSON = new ObjectMapper();

  final LocalPostgres postgres = LocalPostgres.fromEnvironment();
  final Database db;
  final String bootstrap = BuildLogs.watched("wboot_it-" + UUID.randomUUID());
  final String masterKey = BuildLogs.watched(ControlPlaneProcess.randomMasterKey());
  final int port = Ports.free();
  final Path logs;

  /** The recordings' storage, or null when the fixture was made without it. */
  final S3Server s3;

  ControlPlaneProcess process;
  WardApi api;
  String tenantAdminToken;

  /** The sessions this control plane indexed, and their recordings in the bucket. */
  RecordedSessions sessions;

  private final Map<String, String> extraEnv;

  ControlPlaneFixture(String name) throws Exception {
    this(name, Map.of());
  }

  /** With more WARD_* settings for the control plane (e.g. its identity server). */
  ControlPlaneFixture(String name, Map<String, String> extraEnv) throws Exception {
    this(name, extraEnv, false);
  }

  /**
   * A control plane that reads recordings from S3-compatible storage started with it (bucket
   * {@value #RECORDINGS_BUCKET}); agents upload there with {@link #agentRecordingSettings()}.
   */
  static ControlPlaneFixture withRecordings(String name, Map<String, String> extraEnv)
      throws Exception {
    return new ControlPlaneFixture(name, extraEnv, true);
  }

  static ControlPlaneFixture withRecordings(String name) throws Exception {
    return withRecordings(name, Map.of());
  }

  private ControlPlaneFixture(String name, Map<String, String> extraEnv, boolean recordings)
      throws Exception {
    this.logs = BuildLogs.folder(name);
    Map<String, String> env = new HashMap<>(extraEnv);
    if (recordings) {
      s3 =
          new S3Server(
                  logs.resolve("s3").resolve("data"),
                  "ward-it",
                  "ward-it-secret-key",
                  logs.resolve("s3").resolve("s3.log"))
              .start();
      s3.createBucket(RECORDINGS_BUCKET);
      env.putAll(s3.controlPlaneRecordingSettings(RECORDINGS_BUCKET));
    } else {
      s3 = null;
    }
    this.extraEnv = Map.copyOf(env);
    try {
      this.db = postgres.createDatabase("ward_it");
      start();
    } catch (Exception | Error e) {
      // the test class never sees this fixture, so nothing else would stop the storage
      if (s3 != null) {
        s3.close();
      }
      throw e;
    }
    JsonNode tenant =
        new WardApi(url(), bootstrap)
            .post("/api/v1/admin/tenants", Map.of("slug", "it-" + name, "name", "IT " + name))
            .expect(201);
    tenantAdminToken = tenant.get("adminToken").asText();
    api = new WardApi(url(), tenantAdminToken);
    sessions = new RecordedSessions(this);
  }

  /** Starts (or restarts) the control plane on the same port and database. */
  void start() throws IOException {
    process =
        new ControlPlaneProcess(db, port, bootstrap, env(), logs.resolve("control-plane.log"))
            .start();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("WARD_MASTER_KEY", masterKey);
    return env;
  }

  void stop() {
    process.stop();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The settings with which an agent uploads to this fixture's recordings bucket. */
  Map<String, String> agentRecordingSettings() {
    assertThat(s3).as("a fixture made withRecordings").isNotNull();
    return s3.agentRecordingSettings(RECORDINGS_BUCKET);
  }

  /** Registers an agent and returns its one-time token. */
  String registerAgent(String name) throws IOException {
    return api.registerAgent(name);
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

  /**
   * Registers an agent named {@code edge} and starts it (data in {@code agent-data}, log {@code
   * agent.log}) until it listens for each connection on its port.
   */
  AgentProcess startAgent(Map<String, String> env, Map<String, Integer> listeners)
      throws IOException {
    return startAgent(registerAgent("edge"), "agent-data", env, "agent.log", listeners);
  }

  /**
   * Starts an agent of this control plane with the token, its data and log in this fixture's log
   * folder, and waits until it is ready and listens for each connection on its port.
   */
  AgentProcess startAgent(
      String token,
      String dataDir,
      Map<String, String> env,
      String log,
      Map<String, Integer> listeners)
      throws IOException {
    return startAgent(url(), token, logs.resolve(dataDir), env, logs.resolve(log), listeners);
  }

  /** The same for an agent that dials {@code controlPlaneUrl} (e.g. a balancer in front). */
  static AgentProcess startAgent(
      String controlPlaneUrl,
      String token,
      Path dataDir,
      Map<String, String> env,
      Path log,
      Map<String, Integer> listeners)
      throws IOException {
    AgentProcess agent =
        new AgentProcess(controlPlaneUrl, token, dataDir, Ports.free(), env, log).start();
    agent.awaitReady(Duration.ofSeconds(120));
    agent.awaitListening(listeners, Duration.ofSeconds(60));
    return agent;
  }

  /**
   * Starts the upstream PostgreSQL that {@link #postgresConnection} reaches: user {@code app}
   * (SCRAM-SHA-256, {@code appPassword}) owning {@code database}.
   */
  static PostgresCluster startUpstream(String appPassword, String database) throws Exception {
    return startUpstream(PostgresCluster.builder(), appPassword, database);
  }

  /** The same, with more settings of the cluster (TLS, connections). */
  static PostgresCluster startUpstream(
      PostgresCluster.Builder cluster, String appPassword, String database) throws Exception {
    PostgresCluster upstream =
        cluster.user("app", appPassword, PostgresCluster.Auth.SCRAM_SHA_256).start();
    upstream.createDatabase(database, "app");
    return upstream;
  }

  /**
   * The body of a Postgres connection named {@code name} on {@code listenPort} to the upstream's
   * {@code database} as user {@code app}, whose password the agent reads from the environment
   * variable {@code secretVariable}; plain TCP to the upstream. Mutable, for more settings.
   */
  static Map<String, Object> postgresConnection(
      String name,
      int listenPort,
      PostgresCluster upstream,
      String database,
      String secretVariable) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", "postgres");
    body.put("listenPort", listenPort);
    body.put("target", upstream.target());
    body.put("database", database);
    body.put("username", "app");
    body.put("secretRef", "env:" + secretVariable);
    body.put("upstreamTls", "disable");
    return body;
  }

  /** Creates a connection and returns its id. */
  String createConnection(Map<String, ?> body) throws IOException {
    return api.createConnection(body);
  }

  /** A grant to the connection for the actor, minted with the tenant admin's token. */
  String grant(String connectionId, String actor) throws IOException {
    return api.grant(connectionId, actor);
  }

  /**
   * Signs an organisation up (POST /api/v1/signup; the control plane needs an identity server) and
   * returns the answer: the tenant's slug, its issuer, ...
   */
  JsonNode signUp(String organisation, String email, String password) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "/api/v1/signup"))
                    .header("content-type", "application/json")
                    // creating a realm takes seconds, minutes on a busy machine
                    .timeout(Duration.ofMinutes(5))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(
                                Map.of(
                                    "organisation", organisation,
                                    "email", email,
                                    "password", password))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  /** Creates an API token with one role and returns it. */
  String apiToken(String name, String role) throws IOException {
    return api.post("/api/v1/api-tokens", Map.of("name", name, "roles", List.of(role)))
        .expect(201)
        .get("token")
        .asText();
  }

  @Override
  public void close() throws Exception {
    try {
      if (process != null) {
        process.stop();
      }
      postgres.dropDatabase(db);
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }
}
