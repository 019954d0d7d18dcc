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

  private DevStack(Path home) {
    this.home = home;
    this.logs = home.resolve("logs");
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    Path home = Repository.root().resolve(".ward/dev");
    DevStack stack = new DevStack(home);
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
    Files.createDirectories(logs);
    System.out.println("Starting the Ward stack (logs in " + logs + ")");

    EmbeddedDatabase pg = step("PostgreSQL (embedded)", () -> EmbeddedDatabase.start(Ports.free()));
    started.push(pg);
    Database db = pg.create("ward");

    String bootstrap = "wboot_" + random();
    // Wraps each tenant's data key; new for each run, like the embedded database it protects.
    String masterKey = masterKey();
    int apiPort = Ports.preferred(8080);
    ControlPlaneProcess cp =
        step(
            "control plane",
            () ->
                new ControlPlaneProcess(
                        db,
                        apiPort,
                        bootstrap,
                        Map.of("WARD_MASTER_KEY", masterKey),
                        logs.resolve("control-plane.log"))
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

    int healthPort = Ports.preferred(9464);
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
                      Map.of(),
                      logs.resolve("agent.log"));
              p.start();
              p.awaitReady(Duration.ofSeconds(60));
              return p;
            });
    started.push(agentProcess);

    env.put("WARD_API_URL", cp.url() + "/api/v1");
    env.put("WARD_CONSOLE_URL", cp.url() + "/");
    env.put("WARD_API_DOCS_URL", cp.url() + "/api/v1/docs");
    env.put("WARD_TENANT", "demo");
    env.put("WARD_API_TOKEN", tenant.get("adminToken").asText());
    env.put("WARD_BOOTSTRAP_TOKEN", bootstrap);
    env.put("WARD_AGENT_HEALTH_URL", "http://127.0.0.1:" + healthPort + "/readyz");
    env.put("WARD_DB_URL", db.jdbcUrl());
    writeEnv();
    printSummary();
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
