package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.S3Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Faults over real processes, with psql as the client: object storage stopped while sessions run
 * (they keep working, recordings wait in the agent's bounded spool, a full spool refuses strict
 * sessions and runs best-effort ones unrecorded, and once storage is back every recorded session
 * verifies INTACT with every event); the control plane restarted (the agent keeps serving under the
 * last config, reconnects, and receives changes made after the restart); the upstream PostgreSQL
 * restarted or one of its backends killed (clients get an ErrorResponse, new sessions work once it
 * is back, the agent lives on). An agent killed mid-session is {@code RecordingEvidenceIT}'s first
 * test; it is not repeated here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class FaultsIT {

  static final String UPSTREAM_PASSWORD = "upstream-Secret-" + System.nanoTime();
  static final long SPOOL_LIMIT = 64 << 10;
  static final ObjectMapper JSON = new ObjectMapper();

  static S3Server s3;
  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static Path agentData;
  static int ledgerPort;
  static int ordersPort;
  static String ledgerId;
  static String ordersId;

  /** Sessions that must be recorded: actor -> statements the client sent in it. */
  static final Map<String, Integer> recorded = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path s3Dir = Path.of("target", "it-logs", "faults-s3-" + System.currentTimeMillis());
    s3 =
        new S3Server(
                s3Dir.resolve("data"), "ward-it", "ward-it-secret-key", s3Dir.resolve("s3.log"))
            .start();
    s3.createBucket("recordings");
    cp =
        new ControlPlaneFixture(
            "faults",
            Map.of(
                "WARD_RECORDING_ENDPOINT", s3.endpoint(),
                "WARD_RECORDING_BUCKET", "recordings",
                "WARD_RECORDING_ACCESS_KEY", s3.accessKey(),
                "WARD_RECORDING_SECRET_KEY", s3.secretKey()));
    upstream =
        PostgresCluster.builder()
            .user("app", UPSTREAM_PASSWORD, PostgresCluster.Auth.SCRAM_SHA_256)
            .start();
    upstream.createDatabase("shop", "app");
    ledgerPort = Ports.free();
    ordersPort = Ports.free();
    // ledger: every session recorded or refused, admitted under the last config when offline
    ledgerId = connection("ledger", ledgerPort, "strict", "fail-open");
    // orders: best-effort recording, no new sessions while the control plane is unreachable
    ordersId = connection("orders", ordersPort, "best-effort", "fail-closed");
    agentData = cp.logs.resolve("agent-data");
    Map<String, String> env = new HashMap<>();
    env.put("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD);
    env.put("WARD_AGENT_RECORDING_ENDPOINT", s3.endpoint());
    env.put("WARD_AGENT_RECORDING_BUCKET", "recordings");
    env.put("WARD_AGENT_RECORDING_ACCESS_KEY", s3.accessKey());
    env.put("WARD_AGENT_RECORDING_SECRET_KEY", s3.secretKey());
    env.put("WARD_AGENT_RECORDING_SPOOL_MAX_BYTES", String.valueOf(SPOOL_LIMIT));
    agent =
        new AgentProcess(
                cp.url(),
                cp.registerAgent("edge"),
                agentData,
                Ports.free(),
                env,
                cp.logs.resolve("agent.log"))
            .start();
    agent.awaitReady(Duration.ofSeconds(120));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(readiness().at("/listeners/orders").asInt()).isEqualTo(ordersPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp, s3}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String connection(String name, int port, String recording, String offline)
      throws IOException {
    return cp.api
        .post(
            "/api/v1/connections",
            Map.of(
                "name",
                name,
                "kind",
                "postgres",
                "listenPort",
                port,
                "target",
                upstream.target(),
                "database",
                "shop",
                "username",
                "app",
                "secretRef",
                "env:SHOP_DB_PASSWORD",
                "upstreamTls",
                "disable",
                "recordingMode",
                recording,
                "offlineMode",
                offline))
        .expect(201)
        .get("id")
        .asText();
  }

  @Test
  @Order(1)
  void storageDownSessionsKeepWorkingTheSpoolIsBoundedAndEverySessionUploadsIntactAfterwards()
      throws Exception {
    Psql across = Psql.open(grant(ledgerId, "across-s3-outage"), ledgerPort);
    across.answer("SELECT 'before-outage'");

    s3.stop();
    // a sealed segment of the open session meets the stopped storage within seconds
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(readiness().get("storage").asText()).isEqualTo("failing"));

    for (int i = 1; i <= 3; i++) {
      Run run = psqlCommands(ledgerPort, grant(ledgerId, "during-outage-" + i), statements(i, 4));
      assertThat(run.status()).as(run.out()).isZero();
      assertThat(run.out()).contains("during-" + i + "-4");
      recorded.put("during-outage-" + i, 4);
    }
    across.answer("SELECT 'while-storage-is-down'");
    try (Stream<Path> folders = Files.list(agentData.resolve("spool"))) {
      assertThat(folders.filter(Files::isDirectory).count()).isGreaterThanOrEqualTo(4);
    }

    // Fill the spool past its limit with sessions carrying incompressible statements.
    int padded = 0;
    while (readiness().get("spooledBytes").asLong() < SPOOL_LIMIT && padded < 20) {
      padded++;
      String actor = "padding-" + padded;
      Run run = psqlCommands(ledgerPort, grant(ledgerId, actor), List.of(padding(padded)));
      assertThat(run.status()).as(run.out()).isZero();
      recorded.put(actor, 1);
      Thread.sleep(1_500);
    }
    assertThat(readiness().get("spooledBytes").asLong()).isGreaterThanOrEqualTo(SPOOL_LIMIT);
    Thread.sleep(600);

    Run strict = psqlCommands(ledgerPort, grant(ledgerId, "spool-full-strict"), statements(9, 1));
    assertThat(strict.status()).isNotZero();
    assertThat(strict.out())
        .contains("Ward cannot record this session")
        .contains("requires every session to be recorded");
    Run loose = psqlCommands(ordersPort, grant(ordersId, "spool-full-loose"), statements(8, 1));
    assertThat(loose.status()).as(loose.out()).isZero();
    assertThat(loose.out()).contains("during-8-1");
    // the session that was open all along keeps recording
    across.answer("SELECT 'spool-full'");

    s3.start();
    across.answer("SELECT 'after-outage'");
    across.close();
    recorded.put("across-s3-outage", 4);

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              JsonNode r = readiness();
              assertThat(r.get("storage").asText()).isEqualTo("ok");
              assertThat(r.get("spooledBytes").asLong()).isZero();
            });
    try (Stream<Path> folders = Files.list(agentData.resolve("spool"))) {
      assertThat(folders.filter(Files::isDirectory).toList()).isEmpty();
    }
    assertEveryRecordedSessionVerifiesIntactWithEveryEvent();
  }

  @Test
  @Order(2)
  void controlPlaneRestartedTheAgentKeepsServingUnderTheLastConfigAndReceivesLaterChanges()
      throws Exception {
    String whileDown = grant(ledgerId, "while-control-plane-down");
    String refused = grant(ordersId, "refused-while-offline");
    Psql across = Psql.open(grant(ledgerId, "across-cp-restart"), ledgerPort);
    across.answer("SELECT 'before-restart'");
    long version = readiness().get("configVersion").asLong();

    cp.stop();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(readiness().get("controlPlane").asText()).isEqualTo("disconnected"));
    across.answer("SELECT 'control-plane-down'");
    Run run = psqlCommands(ledgerPort, whileDown, statements(1, 2));
    assertThat(run.status()).as(run.out()).isZero();
    recorded.put("while-control-plane-down", 2);
    Run offline = psqlCommands(ordersPort, refused, statements(2, 1));
    assertThat(offline.status()).isNotZero();
    assertThat(offline.out()).contains("admits no new sessions while the agent cannot reach");
    assertThat(readiness().get("configVersion").asLong()).isEqualTo(version);

    cp.start();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(readiness().get("controlPlane").asText()).isEqualTo("connected"));
    across.answer("SELECT 'after-restart'");
    across.close();
    recorded.put("across-cp-restart", 3);

    int reportsPort = Ports.free();
    String reportsId = connection("reports", reportsPort, "best-effort", "fail-closed");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(readiness().at("/listeners/reports").asInt()).isEqualTo(reportsPort));
    assertThat(readiness().get("configVersion").asLong()).isGreaterThan(version);
    Run reports = psqlCommands(reportsPort, grant(reportsId, "after-cp-restart"), statements(3, 1));
    assertThat(reports.status()).as(reports.out()).isZero();
    recorded.put("after-cp-restart", 1);
    assertEveryRecordedSessionVerifiesIntactWithEveryEvent();
  }

  @Test
  @Order(3)
  void upstreamRestartedOrCrashedClientsGetAnErrorResponseAndNewSessionsWorkOnceItIsBack()
      throws Exception {
    // A backend killed outright says nothing: Ward tells the client in protocol terms.
    Psql crashed = Psql.open(grant(ordersId, "backend-killed"), ordersPort);
    long pid = Long.parseLong(crashed.answer("SELECT 'pid-' || pg_backend_pid()").substring(4));
    new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor(10, TimeUnit.SECONDS);
    assertThat(crashed.ended(Duration.ofSeconds(30))).isTrue();
    assertThat(crashed.output())
        .anySatisfy(
            line -> assertThat(line).contains("08006").contains("Ward lost the connection"));
    awaitUpstreamAnswers();

    // A restart by the operator: PostgreSQL's own FATAL 57P01 reaches the client.
    Psql restarted = Psql.open(grant(ordersId, "across-db-restart"), ordersPort);
    restarted.answer("SELECT 'before-db-restart'");
    String duringDowntime = grant(ordersId, "during-db-downtime");
    upstream.shutdown();
    try {
      assertThat(restarted.ended(Duration.ofSeconds(30))).isTrue();
      assertThat(restarted.output())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("57P01")
                      .contains("terminating connection due to administrator command"));
      Run down = psqlCommands(ordersPort, duringDowntime, statements(4, 1));
      assertThat(down.status()).isNotZero();
      assertThat(down.out()).contains("FATAL");
      assertThat(agent.isAlive()).isTrue();
    } finally {
      upstream.startAgain();
    }
    awaitUpstreamAnswers();
    assertThat(agent.isAlive()).isTrue();
    assertThat(agent.status("/readyz")).isEqualTo(200);
    recorded.put("across-db-restart", 1);
    recorded.put("backend-killed", 1);
    assertEveryRecordedSessionVerifiesIntactWithEveryEvent();
  }

  @Test
  @Order(4)
  void theAgentDataDirectoryHoldsNoPlaintextPrivateKey() throws Exception {
    List<Path> keyFiles =
        List.of(
            agentData.resolve("recording-signing.key"),
            agentData.resolve("masking.key"),
            agentData.resolve("tls/ca.key"),
            agentData.resolve("tls/server.key"));
    for (Path key : keyFiles) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(key), 8);
      assertThat(new String(head, StandardCharsets.US_ASCII))
          .as(key.toString())
          .isEqualTo("WARDKEY1");
    }
    try (Stream<Path> files = Files.walk(agentData)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(text)
            .as(f.toString())
            .doesNotContain("PRIVATE KEY")
            .doesNotContain("private-pkcs8")
            // the DER prefix of an Ed25519 PKCS#8 key, raw and in Base64
            .doesNotContain(new String(ED25519_PKCS8_PREFIX, StandardCharsets.ISO_8859_1))
            .doesNotContain("MC4CAQAwBQYDK2VwBCIEI");
      }
    }
  }

  static final byte[] ED25519_PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  // ---- helpers ----

  static void awaitUpstreamAnswers() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Run back = psqlCommands(ordersPort, grant(ordersId, "probe"), List.of("SELECT 1"));
              assertThat(back.status()).as(back.out()).isZero();
            });
  }

  static JsonNode readiness() throws IOException {
    return JSON.readTree(agent.readiness());
  }

  static String grant(String connectionId, String actor) throws IOException {
    return cp.api
        .post("/api/v1/connections/" + connectionId + "/grants", Map.of("actor", actor))
        .expect(201)
        .get("token")
        .asText();
  }

  static List<String> statements(int run, int count) {
    List<String> sql = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      sql.add("SELECT 'during-" + run + "-" + i + "'");
    }
    return sql;
  }

  /** A statement of 24 KiB of random hex: it compresses to about half, whatever the codec. */
  static String padding(int n) {
    byte[] random = new byte[12 << 10];
    new SecureRandom().nextBytes(random);
    return "SELECT length('" + HexFormat.of().formatHex(random) + "') AS pad" + n;
  }

  /**
   * Every session in {@link #recorded} (then forgotten) is indexed once, verifies INTACT, and has
   * every event.
   */
  static void assertEveryRecordedSessionVerifiesIntactWithEveryEvent() {
    Map<String, Integer> sessions = new LinkedHashMap<>(recorded);
    recorded.clear();
    sessions.forEach(
        (actor, statements) ->
            await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                    () -> {
                      JsonNode items =
                          cp.api.get("/api/v1/sessions?actor=" + actor).expect(200).get("items");
                      assertThat(items).as(actor).hasSize(1);
                      String id = items.get(0).get("id").asText();
                      JsonNode v =
                          cp.api.post("/api/v1/sessions/" + id + "/verify", Map.of()).expect(200);
                      assertThat(v.get("integrity").asText())
                          .as(actor + " " + v)
                          .isEqualTo("INTACT");
                      // start, one event per statement, end
                      assertThat(v.get("events").asLong())
                          .as(actor + " " + v)
                          .isEqualTo(statements + 2);
                    }));
  }

  record Run(int status, String out) {}

  static Run psqlCommands(int port, String grant, List<String> sql) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-v", "VERBOSITY=verbose"));
    for (String s : sql) {
      cmd.add("-c");
      cmd.add(s);
    }
    cmd.add("host=127.0.0.1 port=" + port + " dbname=shop user=ada sslmode=require");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", grant);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** An interactive psql session fed statement by statement. */
  static final class Psql {
    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Psql(Process process) {
      this.process = process;
      this.stdin = process.getOutputStream();
      Thread.ofVirtual()
          .start(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the session ended; what was read is what counts
                }
              });
    }

    static Psql open(String grant, int port) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "psql",
                  "-X",
                  "-A",
                  "-t",
                  "-v",
                  "VERBOSITY=verbose",
                  "host=127.0.0.1 port=" + port + " dbname=shop user=ada sslmode=require")
              .redirectErrorStream(true);
      pb.environment().put("PGPASSWORD", grant);
      pb.environment().put("PGCONNECT_TIMEOUT", "10");
      return new Psql(pb.start());
    }

    /** Sends a one-row, one-column query and returns the row once psql printed it. */
    String answer(String sql) throws IOException {
      int before = lines.size();
      stdin.write((sql + ";\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String expected = sql.replaceFirst("^SELECT '([^']*)'.*$", "$1");
      String[] row = new String[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                List<String> fresh = lines.subList(before, lines.size());
                assertThat(fresh).as("%s", lines).isNotEmpty();
                row[0] = fresh.get(0);
                if (!sql.contains("||")) {
                  assertThat(row[0]).isEqualTo(expected);
                }
              });
      return row[0];
    }

    boolean ended(Duration within) throws InterruptedException {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> output() {
      return lines;
    }

    void close() throws Exception {
      stdin.close();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("%s", lines).isZero();
    }
  }
}
