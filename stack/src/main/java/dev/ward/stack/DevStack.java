package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make dev}: starts the whole Ward stack on this machine with embedded defaults — a
 * PostgreSQL for the control plane, the control plane, a demo tenant and one agent connected to it
 * — prints what runs where and writes the same to {@code .ward/dev/env}. Ctrl-C stops everything it
 * started, in reverse order.
 */
public final class DevStack {

  private final Path home;
  private final Path logs;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  private DevStack(Path home, Path logs) {
    this.home = home;
    this.logs = logs;
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    // WARD_DEV_HOME lets the benchmark run its own stack beside a running make dev.
    Path home =
        Path.of(
            System.getenv()
                .getOrDefault("WARD_DEV_HOME", Repository.root().resolve(".ward/dev").toString()));
    // WARD_DEV_LOGS lets a test keep the stack's logs with the rest of its build's logs.
    String logs = System.getenv("WARD_DEV_LOGS");
    DevStack stack = new DevStack(home, logs == null ? home.resolve("logs") : Path.of(logs));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.stopAll();
                  stopped.countDown();
                },
                "ward-dev-stop"));
    try {
      stack.startAll();
    } catch (Exception e) {
      System.err.println();
      System.err.println("make dev failed: " + e.getMessage());
      System.err.println("Logs are in " + stack.logs);
      System.exit(1);
    }
    stopped.await();
  }

  private void startAll() throws Exception {
    // Every run starts from scratch (a new database, tenant and agent), so nothing of an
    // earlier run's agent cache, spool, storage or logs may leak into it.
    for (String stale : new String[] {"agent", "s3", "keycloak"}) {
      Probe.deleteTree(home.resolve(stale));
    }
    Probe.deleteTree(logs);
    Files.createDirectories(logs);
    System.out.println("Starting the Ward stack (logs in " + logs + ")");

    EmbeddedDatabase pg = step("PostgreSQL (embedded)", () -> EmbeddedDatabase.start(Ports.free()));
    started.push(pg);
    Database db = pg.create("ward");

    S3Server s3 =
        step(
            "object storage (S3)",
            () -> {
              S3Server server =
                  new S3Server(
                          home.resolve("s3"), "ward-dev", "dev-" + random(), logs.resolve("s3.log"))
                      .start();
              server.createBucket(RECORDINGS_BUCKET);
              return server;
            });
    started.push(s3);

    String bootstrap = "wboot_" + random();
    // Wraps each tenant's data key; new for each run, like the embedded database it protects.
    String masterKey = masterKey();
    int apiPort = Ports.preferred(8080);
    // Keycloak starts last, in the background (see startIdentity); its URL is fixed now.
    // WARD_DEV_KEYCLOAK=off leaves it out (the benchmark does, so it does not compete for CPU).
    boolean withIdentity = !"off".equalsIgnoreCase(System.getenv("WARD_DEV_KEYCLOAK"));
    DevIdentity identity = withIdentity ? new DevIdentity(home, logs) : null;
    if (identity != null) {
      started.push(identity);
    }
    Map<String, String> cpEnv =
        new LinkedHashMap<>(identity == null ? Map.of() : identity.controlPlaneEnv());
    cpEnv.put("WARD_MASTER_KEY", masterKey);
    // The control plane reads the same bucket for replay and verify.
    cpEnv.putAll(s3.controlPlaneRecordingSettings(RECORDINGS_BUCKET));
    ControlPlaneProcess cp =
        step(
            "control plane",
            () ->
                new ControlPlaneProcess(
                        db, apiPort, bootstrap, cpEnv, logs.resolve("control-plane.log"))
                    .start());
    started.push(cp);

    WardApi platform = new WardApi(cp.url(), bootstrap);
    JsonNode tenant =
        step(
            "demo tenant",
            () ->
                platform
                    .post("/api/v1/admin/tenants", Map.of("slug", "demo", "name", "Demo Inc."))
                    .expect(201));
    WardApi api = platform.as(tenant.get("adminToken").asText());
    JsonNode agent =
        step(
            "agent registration",
            () -> api.post("/api/v1/agents", Map.of("name", "dev-agent")).expect(201));

    String demoPassword = random();
    // WARD_DEV_UPSTREAM=host:port/database/user points the demo connection at another
    // PostgreSQL (trust auth), as the benchmark does; otherwise a seeded demo database.
    String upstream = System.getenv("WARD_DEV_UPSTREAM");
    Database shop =
        upstream == null || upstream.isBlank()
            ? step("demo database", () -> demoDatabase(pg, demoPassword))
            : external(upstream);
    int pgPort = Ports.preferred(6432);
    JsonNode connection =
        step(
            "demo connection",
            () -> {
              String policy =
                  api.post(
                          "/api/v1/policies",
                          Map.of(
                              "name",
                              "default",
                              "description",
                              "Masks every secret family; denies DROP and TRUNCATE",
                              "document",
                              new com.fasterxml.jackson.databind.ObjectMapper()
                                  .readTree(dev.ward.policy.Policies.DEFAULT_POLICY_JSON)))
                      .expect(201)
                      .get("id")
                      .asText();
              return api.post(
                      "/api/v1/connections",
                      Map.of(
                          "name",
                          "shop",
                          "kind",
                          "postgres",
                          "listenPort",
                          pgPort,
                          "target",
                          shop.host() + ":" + shop.port(),
                          "database",
                          shop.name(),
                          "username",
                          shop.user(),
                          "secretRef",
                          "env:WARD_DEMO_DB_PASSWORD",
                          "upstreamTls",
                          "disable",
                          // Local development only: lets clients send grants without TLS.
                          "allowPlaintextGrant",
                          true,
                          "policyId",
                          policy))
                  .expect(201);
            });

    ProtocolDemos demos = step("HTTP, Git and MCP demos", () -> protocolDemos(api));
    started.push(demos);

    String modelKey = "sk-demo-" + random();
    int llmPort = Ports.preferred(6480);
    JsonNode llmConnection =
        step(
            "demo model API",
            () -> demoModel(api, modelKey, llmPort, connection.get("policyId").asText()));

    int healthPort = Ports.preferred(9464);
    Map<String, String> agentEnv = new LinkedHashMap<>(demos.agentEnv());
    agentEnv.putAll(Map.of("WARD_DEMO_DB_PASSWORD", demoPassword, "WARD_DEMO_MODEL_KEY", modelKey));
    agentEnv.putAll(s3.agentRecordingSettings(RECORDINGS_BUCKET));
    AgentProcess agentProcess =
        step(
            "agent",
            () -> {
              AgentProcess p =
                  new AgentProcess(
                      cp.url(),
                      agent.get("token").asText(),
                      home.resolve("agent"),
                      healthPort,
                      agentEnv,
                      logs.resolve("agent.log"));
              p.start();
              p.awaitReady(Duration.ofSeconds(60));
              Map<String, Integer> listeners = new LinkedHashMap<>(demos.ports());
              listeners.put("shop", pgPort);
              listeners.put("model", llmPort);
              p.awaitListening(listeners, Duration.ofSeconds(30));
              return p;
            });
    started.push(agentProcess);

    JsonNode grant =
        api.post(
                "/api/v1/connections/" + connection.get("id").asText() + "/grants",
                Map.of("actor", "dev-shell", "ttlSeconds", 12 * 3600))
            .expect(201);
    String dsn =
        "postgresql://dev:"
            + grant.get("token").asText()
            + "@127.0.0.1:"
            + pgPort
            + "/"
            + shop.name()
            + "?sslmode=require";

    env.put("WARD_API_URL", cp.url() + "/api/v1");
    env.put("WARD_CONSOLE_URL", cp.url() + "/");
    env.put("WARD_API_DOCS_URL", cp.url() + "/api/v1/docs");
    env.put("WARD_TENANT", "demo");
    env.put("WARD_API_TOKEN", tenant.get("adminToken").asText());
    env.put("WARD_BOOTSTRAP_TOKEN", bootstrap);
    env.put("WARD_AGENT_HEALTH_URL", "http://127.0.0.1:" + healthPort + "/readyz");
    env.put("WARD_DB_URL", db.jdbcUrl());
    env.put("WARD_PG_DSN", dsn);
    env.put("WARD_PG_CA", home.resolve("agent/tls/ca.pem").toString());
    env.put("WARD_LLM_URL", "http://127.0.0.1:" + llmPort + "/v1");
    env.put(
        "WARD_LLM_KEY",
        api.post(
                "/api/v1/connections/" + llmConnection.get("id").asText() + "/grants",
                Map.of("actor", "dev-shell", "ttlSeconds", 12 * 3600))
            .expect(201)
            .get("token")
            .asText());
    env.put("WARD_S3_ENDPOINT", s3.endpoint());
    env.put("WARD_S3_BUCKET", RECORDINGS_BUCKET);
    env.put("WARD_S3_ACCESS_KEY", s3.accessKey());
    env.put("WARD_S3_SECRET_KEY", s3.secretKey());
    env.putAll(demos.urls(api));
    writeEnv();
    printSummary();
    if (identity != null) {
      startIdentity(identity, cp.url());
    }
  }

  /**
   * Starts Keycloak once everything else runs, so the PostgreSQL path is ready as early as without
   * it, then signs up the demo-sso tenant and adds its settings (WARD_OIDC_ISSUER, demo people) to
   * the env file. A failure leaves the rest running.
   */
  private void startIdentity(DevIdentity identity, String controlPlaneUrl) {
    System.out.println(
        "  Sign-in (Keycloak) is starting in the background; WARD_OIDC_ISSUER is added to the"
            + " env file when it is ready.");
    Thread t =
        new Thread(
            () -> {
              long start = System.nanoTime();
              try {
                Map<String, String> sso = identity.start(controlPlaneUrl);
                synchronized (env) {
                  env.putAll(sso);
                  writeEnv();
                }
                System.out.printf(
                    Locale.ROOT,
                    "  Sign-in ready (Keycloak, %.1f s): tenant %s, issuer %s%n"
                        + "    ./bin/ward login --control-plane %s --tenant %s%n"
                        + "    as %s or %s, password WARD_DEMO_SSO_PASSWORD in %s%n",
                    (System.nanoTime() - start) / 1e9,
                    DevIdentity.TENANT,
                    sso.get("WARD_OIDC_ISSUER"),
                    controlPlaneUrl,
                    DevIdentity.TENANT,
                    sso.get("WARD_DEMO_SSO_MEMBER"),
                    sso.get("WARD_DEMO_SSO_ADMIN"),
                    home.resolve("env"));
              } catch (Exception e) {
                System.err.println(
                    "  Sign-in (Keycloak) did not start: "
                        + e.getMessage()
                        + "; see "
                        + logs.resolve("keycloak.log")
                        + ". Everything else keeps running.");
              }
            },
            "ward-dev-identity");
    t.setDaemon(true);
    t.start();
  }

  private static final String RECORDINGS_BUCKET = "recordings";

  /** The demo HTTP API, Git repository and MCP server, and their connections. */
  private ProtocolDemos protocolDemos(WardApi api) throws Exception {
    ProtocolDemos demos = ProtocolDemos.start(home);
    try {
      demos.createConnections(api);
    } catch (Exception e) {
      demos.close();
      throw e;
    }
    return demos;
  }

  private void printProtocolDemos() {
    System.out.println("  HTTP API, Git and MCP through Ward (grant in each URL):");
    System.out.println("    . .ward/dev/env && curl -s \"$WARD_HTTP_URL/customers\"");
    System.out.println("    . .ward/dev/env && git clone \"$WARD_GIT_URL\" /tmp/ward-demo");
    System.out.println(
        "    . .ward/dev/env && curl -s -H \"Authorization: Bearer $WARD_MCP_GRANT\""
            + " -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'"
            + " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
            + "{\"name\":\"curl\",\"version\":\"1\"}}}' \"${WARD_MCP_URL#*@}\"");
    System.out.println();
  }

  /**
   * A local model server speaking the OpenAI and Anthropic wire formats, and an {@code llm}
   * connection in front of it whose provider key only the agent holds.
   */
  private JsonNode demoModel(WardApi api, String modelKey, int listenPort, String policyId)
      throws Exception {
    FakeModelServer model = FakeModelServer.start(0, modelKey, Duration.ofMillis(20));
    started.push(model);
    return api.post(
            "/api/v1/connections",
            Map.of(
                "name",
                "model",
                "kind",
                "llm",
                "listenPort",
                listenPort,
                "target",
                "http://127.0.0.1:" + model.port(),
                "secretRef",
                "env:WARD_DEMO_MODEL_KEY",
                "credentialStyle",
                "bearer",
                // Local development only: lets clients send grants without TLS.
                "allowPlaintextGrant",
                true,
                "policyId",
                policyId))
        .expect(201);
  }

  private static Database external(String spec) {
    String[] hostPort = spec.split("/")[0].split(":");
    String[] rest = spec.split("/");
    if (rest.length != 3 || hostPort.length != 2) {
      throw new IllegalArgumentException(
          "WARD_DEV_UPSTREAM must be host:port/database/user, got " + spec);
    }
    return new Database(hostPort[0], Integer.parseInt(hostPort[1]), rest[1], rest[2], "");
  }

  /** A demo database with customers and leaked credentials, for masking to act on. */
  private static Database demoDatabase(EmbeddedDatabase pg, String password) throws Exception {
    Database shop = pg.create("shop");
    pg.execute("postgres", "CREATE ROLE shop_app LOGIN PASSWORD '" + password + "'");
    pg.execute(
        "shop",
        """
        CREATE TABLE customers (id int PRIMARY KEY, name text, email text, card text);
        INSERT INTO customers VALUES
          (1, 'Ada Lovelace', 'ada@example.com', '4111 1111 1111 1111'),
          (2, 'Grace Hopper', 'grace@example.com', '5500 0000 0000 0004');
        CREATE TABLE api_keys (id int PRIMARY KEY, service text, secret text);
        INSERT INTO api_keys VALUES
          (1, 'aws', 'AKIAQ3EGRBXJ7K4N2WPZ'),
          (2, 'github', 'ghp_R8nV2xQ7mK4pL9sT3wY6zB1cD5fG0hJ2kM7q'),
          (3, 'stripe', 'sk_live_51Hq8ZkL2mN4pQ7rS9tV1wX3yZ5bC8dF0gH2jK');
        GRANT ALL ON ALL TABLES IN SCHEMA public TO shop_app;
        """);
    return new Database(shop.host(), shop.port(), shop.name(), "shop_app", password);
  }

  private void writeEnv() throws IOException {
    Path file = home.resolve("env");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    StringBuilder text = new StringBuilder("# Written by make dev; valid while it runs.\n");
    env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text);
  }

  private void printSummary() {
    System.out.println();
    System.out.println("Ward is running. Press Ctrl-C to stop everything.");
    System.out.println();
    System.out.printf(
        "  API           %s   (docs: %s)%n", env.get("WARD_API_URL"), env.get("WARD_API_DOCS_URL"));
    System.out.printf("  Console       %s%n", env.get("WARD_CONSOLE_URL"));
    System.out.printf("  Agent health  %s%n", env.get("WARD_AGENT_HEALTH_URL"));
    System.out.printf("  Database      %s%n", env.get("WARD_DB_URL"));
    System.out.printf("  Recordings    %s/%s%n", env.get("WARD_S3_ENDPOINT"), RECORDINGS_BUCKET);
    System.out.println();
    System.out.println("  psql through Ward (demo database, default policy):");
    System.out.println("    . .ward/dev/env && psql \"$WARD_PG_DSN\" -c 'select * from api_keys'");
    System.out.println();
    printProtocolDemos();

    System.out.println("  A model API through Ward (prompts masked, exchanges recorded):");
    System.out.println(
        "    . .ward/dev/env && curl -s $WARD_LLM_URL/chat/completions -H \"Authorization: Bearer"
            + " $WARD_LLM_KEY\" -d '{\"model\":\"demo\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"my key is AKIAQ3EGRBXJ7K4N2WPZ\"}]}'");
    System.out.println();
    System.out.println("  Settings and credentials: " + home.resolve("env"));
    System.out.println(
        "  Try:  . .ward/dev/env && curl -s -H \"Authorization: Bearer $WARD_API_TOKEN\" $WARD_API_URL/agents");
    System.out.println();
  }

  private void stopAll() {
    if (started.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println("Stopping the Ward stack…");
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("  (while stopping: " + e.getMessage() + ")");
      }
    }
    try {
      Files.deleteIfExists(home.resolve("env"));
    } catch (IOException ignored) {
      // nothing to clean
    }
    System.out.println("Stopped.");
  }

  private static <T> T step(String what, Callable<T> action) throws Exception {
    System.out.printf("  %-24s", what + " ");
    System.out.flush();
    long start = System.nanoTime();
    try {
      T result = action.call();
      System.out.printf(Locale.ROOT, "ok (%.1f s)%n", (System.nanoTime() - start) / 1e9);
      return result;
    } catch (Exception e) {
      System.out.println("FAILED");
      throw e;
    }
  }

  /** Libraries log through java.util.logging; the stack's own output is the progress lines. */
  private static void quietLogging() {
    java.util.logging.LogManager.getLogManager().reset();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
    handler.setLevel(java.util.logging.Level.WARNING);
    root.addHandler(handler);
    root.setLevel(java.util.logging.Level.WARNING);
  }

  /** 32 random bytes in standard Base64, the form WARD_MASTER_KEY takes. */
  private static String masterKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
