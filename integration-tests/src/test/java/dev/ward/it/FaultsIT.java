package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import java.io.IOException;
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

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());

  /**
   * How long object storage stays down at least, sessions starting and ending throughout; {@code
   * make bench} holds it down for a minute ({@code -Dward.faults.storage-outage=PT60S}).
   */
  static final Duration STORAGE_OUTAGE =
      RunFigures.duration("ward.faults.storage-outage", Duration.ofSeconds(15));

  /** 64 KiB, and room for the sessions of a longer outage before the test fills it on purpose. */
  static final long SPOOL_LIMIT = (64 << 10) + STORAGE_OUTAGE.toSeconds() * (2 << 10);

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
    cp = ControlPlaneFixture.withRecordings("faults");
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "shop");
    ledgerPort = Ports.free();
    ordersPort = Ports.free();
    // ledger: every session recorded or refused, admitted under the last config when offline
    ledgerId = connection("ledger", ledgerPort, "strict", "fail-open");
    // orders: best-effort recording, no new sessions while the control plane is unreachable
    ordersId = connection("orders", ordersPort, "best-effort", "fail-closed");
    Map<String, String> env = new HashMap<>(cp.agentRecordingSettings());
    env.put("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD);
    env.put("WARD_AGENT_RECORDING_SPOOL_MAX_BYTES", String.valueOf(SPOOL_LIMIT));
    agent = cp.startAgent(env, Map.of("ledger", ledgerPort, "orders", ordersPort));
    agentData = agent.dataDir();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String connection(String name, int port, String recording, String offline)
      throws IOException {
    Map<String, Object> body =
        ControlPlaneFixture.postgresConnection(name, port, upstream, "shop", "SHOP_DB_PASSWORD");
    body.put("recordingMode", recording);
    body.put("offlineMode", offline);
    return cp.createConnection(body);
  }

  @Test
  @Order(1)
  void storageDownSessionsKeepWorkingTheSpoolIsBoundedAndEverySessionUploadsIntactAfterwards()
      throws Exception {
    Psql across = Psql.open(grant(ledgerId, "across-s3-outage"), ledgerPort);
    across.answer("SELECT 'before-outage'");
    int acrossStatements = 1;

    cp.s3.stop();
    long down = System.nanoTime();
    // a sealed segment of the open session meets the stopped storage within seconds
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(readiness().get("storage").asText()).isEqualTo("failing"));

    for (int i = 1; i <= 3; i++) {
      Psql.Run run =
          psqlCommands(ledgerPort, grant(ledgerId, "during-outage-" + i), statements(i, 4));
      assertThat(run.status()).as(run.out()).isZero();
      assertThat(run.out()).contains("during-" + i + "-4");
      recorded.put("during-outage-" + i, 4);
    }
    across.answer("SELECT 'while-storage-is-down'");
    acrossStatements++;

    // Storage stays down for the outage's length while the open session keeps running statements
    // and new recorded sessions start and end; they stop opening before they could fill the spool.
    int steady = 0;
    long peakSpool = 0;
    while (System.nanoTime() - down < STORAGE_OUTAGE.toNanos()) {
      steady++;
      across.answer("SELECT 'steady-" + steady + "'");
      acrossStatements++;
      long spooled = readiness().get("spooledBytes").asLong();
      peakSpool = Math.max(peakSpool, spooled);
      if (spooled < SPOOL_LIMIT / 2) {
        String actor = "steady-" + steady;
        Psql.Run run =
            psqlCommands(ledgerPort, grant(ledgerId, actor), statements(100 + steady, 2));
        assertThat(run.status()).as(run.out()).isZero();
        recorded.put(actor, 2);
      }
      Thread.sleep(1_000);
    }
    try (Stream<Path> folders = Files.list(agentData.resolve("spool"))) {
      assertThat(folders.filter(Files::isDirectory).count()).isGreaterThanOrEqualTo(4);
    }

    // Fill the spool past its limit with sessions carrying incompressible statements.
    int padded = 0;
    while (readiness().get("spooledBytes").asLong() < SPOOL_LIMIT
        && padded < SPOOL_LIMIT / (8 << 10) + 10) {
      padded++;
      String actor = "padding-" + padded;
      Psql.Run run = psqlCommands(ledgerPort, grant(ledgerId, actor), List.of(padding(padded)));
      assertThat(run.status()).as(run.out()).isZero();
      recorded.put(actor, 1);
      Thread.sleep(1_500);
    }
    assertThat(readiness().get("spooledBytes").asLong()).isGreaterThanOrEqualTo(SPOOL_LIMIT);
    Thread.sleep(600);

    Psql.Run strict =
        psqlCommands(ledgerPort, grant(ledgerId, "spool-full-strict"), statements(9, 1));
    assertThat(strict.status()).isNotZero();
    assertThat(strict.out())
        .contains("Ward cannot record this session")
        .contains("requires every session to be recorded");
    Psql.Run loose =
        psqlCommands(ordersPort, grant(ordersId, "spool-full-loose"), statements(8, 1));
    assertThat(loose.status()).as(loose.out()).isZero();
    assertThat(loose.out()).contains("during-8-1");
    // the session that was open all along keeps recording
    across.answer("SELECT 'spool-full'");
    acrossStatements++;
    peakSpool = Math.max(peakSpool, readiness().get("spooledBytes").asLong());

    cp.s3.start();
    long outage = System.nanoTime() - down;
    long up = System.nanoTime();
    across.answer("SELECT 'after-outage'");
    acrossStatements++;
    across.close();
    recorded.put("across-s3-outage", acrossStatements);
    int verified = recorded.size();

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              JsonNode r = readiness();
              assertThat(r.get("storage").asText()).isEqualTo("ok");
              assertThat(r.get("spooledBytes").asLong()).isZero();
            });
    long drained = System.nanoTime() - up;
    try (Stream<Path> folders = Files.list(agentData.resolve("spool"))) {
      assertThat(folders.filter(Files::isDirectory).toList()).isEmpty();
    }
    assertEveryRecordedSessionVerifiesIntactWithEveryEvent();
    RunFigures.write(
        "faults-storage-outage",
        Map.of(
            "outageSetting", STORAGE_OUTAGE.toString(),
            "outageSeconds", outage / 1e9,
            "roundsWhileHeldDown", steady,
            "statementsOfTheSessionAcrossIt", acrossStatements,
            "spoolLimitBytes", SPOOL_LIMIT,
            "peakSpooledBytes", peakSpool,
            "secondsToDrainTheSpool", drained / 1e9,
            "sessionsVerifiedIntact", verified));
    System.out.printf(
        "FaultsIT: storage down %.1f s, %d recorded sessions ran in it and all verified INTACT;"
            + " spool peak %d KiB of %d KiB, drained %.1f s after storage returned%n",
        outage / 1e9, verified, peakSpool >> 10, SPOOL_LIMIT >> 10, drained / 1e9);
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
    Psql.Run run = psqlCommands(ledgerPort, whileDown, statements(1, 2));
    assertThat(run.status()).as(run.out()).isZero();
    recorded.put("while-control-plane-down", 2);
    Psql.Run offline = psqlCommands(ordersPort, refused, statements(2, 1));
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
    agent.awaitListening(Map.of("reports", reportsPort), Duration.ofSeconds(30));
    assertThat(readiness().get("configVersion").asLong()).isGreaterThan(version);
    Psql.Run reports =
        psqlCommands(reportsPort, grant(reportsId, "after-cp-restart"), statements(3, 1));
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
    // psql reads the server only when it runs a statement: the next one meets the error
    Thread.sleep(1_000);
    crashed.send("SELECT 'after-kill'");
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
      restarted.send("SELECT 'after-shutdown'");
      assertThat(restarted.ended(Duration.ofSeconds(30))).isTrue();
      assertThat(restarted.output())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("57P01")
                      .contains("terminating connection due to administrator command"));
      Psql.Run down = psqlCommands(ordersPort, duringDowntime, statements(4, 1));
      assertThat(down.status()).isNotZero();
      assertThat(down.out()).contains("Ward could not reach the upstream database");
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
              Psql.Run back =
                  psqlCommands(ordersPort, grant(ordersId, "probe"), List.of("SELECT 1"));
              assertThat(back.status()).as(back.out()).isZero();
            });
  }

  static JsonNode readiness() {
    return agent.readinessJson();
  }

  static String grant(String connectionId, String actor) throws IOException {
    return cp.grant(connectionId, actor);
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
            cp.sessions.ofActorVerifiedAs(
                actor,
                "INTACT",
                // start, one event per statement, end
                v ->
                    assertThat(v.get("events").asLong())
                        .as(actor + " " + v)
                        .isEqualTo(statements + 2)));
  }

  static Psql.Run psqlCommands(int port, String grant, List<String> sql) throws Exception {
    return Psql.commands(port, grant, sql);
  }
}
