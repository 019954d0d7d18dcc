package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Recording evidence over real processes: an agent killed with SIGKILL in the middle of a psql
 * session, restarted on the same data directory, uploads the session, which the control plane
 * verifies as closed by crash recovery and replays with every statement psql saw answered; a byte
 * changed in the bucket is named as tampering; `ward verify --session` checks a recording fetched
 * from the API; retention deletes expired recordings but never one under legal hold.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class RecordingEvidenceIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final Pattern MARK = Pattern.compile("mark-(\\d+)");

  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static String agentToken;
  static Map<String, String> agentEnv;
  static String connectionId;
  static int listenPort;

  static String killedSession;
  static String tamperedSession;

  @BeforeAll
  static void start() throws Exception {
    cp =
        ControlPlaneFixture.withRecordings(
            "evidence", Map.of("WARD_RECORDING_RETENTION_INTERVAL", "2s"));
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "orders");
    listenPort = Ports.free();
    connectionId =
        cp.createConnection(
            ControlPlaneFixture.postgresConnection(
                "orders", listenPort, upstream, "orders", "ORDERS_DB_PASSWORD"));
    agentToken = cp.registerAgent("edge");
    agentEnv = new HashMap<>(cp.agentRecordingSettings());
    agentEnv.put("ORDERS_DB_PASSWORD", UPSTREAM_PASSWORD);
    startAgent("agent.log");
  }

  static void startAgent(String log) throws Exception {
    agent = cp.startAgent(agentToken, "agent-data", agentEnv, log, Map.of("orders", listenPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** The marks ({@code mark-N}) psql printed, in order. */
  static List<Integer> marks(List<String> output) {
    List<Integer> marks = new ArrayList<>();
    for (String line : List.copyOf(output)) {
      Matcher m = MARK.matcher(line);
      if (m.find()) {
        marks.add(Integer.parseInt(m.group(1)));
      }
    }
    return marks;
  }

  static WardCli.Run ward(String... args) throws Exception {
    return WardCli.run(WardCli.asTenantAdmin(cp, args), Duration.ofSeconds(60));
  }

  /** Waits until the index says retention deleted the session's recording. */
  static void awaitRecordingDeleted(String session) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        cp.api
                            .get("/api/v1/sessions/" + session)
                            .expect(200)
                            .get("recordingDeletedAt")
                            .isNull())
                    .isFalse());
  }

  /** Where S3Proxy's filesystem backend keeps the session's objects (one tenant uploads here). */
  static Path objectsOf(String session) throws Exception {
    Path root = cp.s3.dataDir().resolve("recordings").resolve("tenants");
    if (tenantFolder == null && !Files.isDirectory(root)) {
      // nothing uploaded yet: the session has no objects
      return root.resolve("none").resolve("sessions").resolve(session);
    }
    if (tenantFolder == null) {
      try (var tenants = Files.list(root)) {
        List<Path> all = tenants.toList();
        assertThat(all).hasSize(1);
        tenantFolder = all.get(0);
      }
    }
    // Remembered: the filesystem backend removes folders that deletions leave empty.
    return tenantFolder.resolve("sessions").resolve(session);
  }

  static Path tenantFolder;

  @Test
  @Order(1)
  void aSessionCutByKillingTheAgentVerifiesAsRecoveredWithEveryAnsweredStatementInTheReplay()
      throws Exception {
    Psql psql = Psql.open(cp.grant(connectionId, "killed-run"), listenPort, "orders");
    for (int i = 1; i <= 400; i++) {
      psql.send("SELECT 'mark-" + i + "' AS m, pg_sleep(0.02)");
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(marks(psql.output()))
                    .as("%s", psql.output())
                    .hasSizeGreaterThanOrEqualTo(30));
    agent.kill();
    assertThat(agent.isAlive()).isFalse();
    // psql's output ends when the agent dies; what was read is what counts
    assertThat(psql.ended(Duration.ofSeconds(30))).isTrue();
    List<Integer> answered = marks(psql.output());
    assertThat(answered).hasSizeGreaterThanOrEqualTo(30).hasSizeLessThan(400);

    killedSession = cp.sessions.awaitIdOf("killed-run");
    assertThat(Files.exists(objectsOf(killedSession).resolve("manifest.wman"))).isFalse();

    startAgent("agent-restarted.log");
    JsonNode verdict = cp.sessions.verifiedAs(killedSession, "INTACT_RECOVERED");
    assertThat(verdict.get("kind").isNull()).isTrue();
    assertThat(verdict.get("events").asLong()).isGreaterThan(answered.size());

    List<JsonNode> events = cp.sessions.replay(killedSession);
    assertThat(events.getFirst().get("type").asText()).isEqualTo("start");
    assertThat(events.getFirst().at("/event/start/identity/actor").asText())
        .isEqualTo("killed-run");
    assertThat(events.getLast().get("type").asText()).isEqualTo("end");
    assertThat(events.getLast().at("/event/end/reason").asText()).isEqualTo("crash-recovered");
    List<Integer> replayed = new ArrayList<>();
    long seq = 0;
    for (JsonNode e : events) {
      assertThat(e.get("seq").asLong()).isEqualTo(++seq);
      if (e.get("type").asText().equals("statement")) {
        assertThat(e.at("/event/statement/commandTag").asText()).isEqualTo("SELECT 1");
        assertThat(e.at("/event/statement/durationNanos").asLong()).isPositive();
        Matcher m = MARK.matcher(e.at("/event/statement/text").asText());
        if (m.find()) {
          replayed.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    assertThat(replayed).containsAll(answered);

    JsonNode listed =
        cp.api.get("/api/v1/sessions?integrity=INTACT_RECOVERED").expect(200).get("items");
    assertThat(listed).extracting(s -> s.get("id").asText()).contains(killedSession);
    assertThat(
            cp.api.get("/api/v1/sessions/" + killedSession).expect(200).get("integrity").asText())
        .isEqualTo("INTACT_RECOVERED");
  }

  @Test
  @Order(2)
  void wardVerifySessionFetchesTheRecordingFromTheApiAndChecksItHere() throws Exception {
    Path saved = cp.logs.resolve("saved-" + killedSession);
    WardCli.Run fetched = ward("verify", "--session", killedSession, "--save", saved.toString());
    assertThat(fetched.status()).as(fetched.out()).isZero();
    assertThat(fetched.out()).contains("INTACT (closed by crash recovery)");

    String key = cp.agent("edge").get("recordingPublicKey").asText();
    WardCli.Run offline = ward("verify", saved.toString(), "--key", key);
    assertThat(offline.status()).as(offline.out()).isZero();
    assertThat(offline.out()).contains("session " + killedSession);

    WardCli.Run unknown = ward("verify", "--session", java.util.UUID.randomUUID().toString());
    assertThat(unknown.status()).isEqualTo(3);
    assertThat(unknown.out()).contains("does not exist");
  }

  @Test
  @Order(3)
  void aByteChangedInTheBucketIsReportedAsTamperingWithItsKind() throws Exception {
    Psql.Run run =
        Psql.commands(
            listenPort,
            "orders",
            cp.grant(connectionId, "tamper-me"),
            List.of("SELECT 'one'", "SELECT 'two'"));
    assertThat(run.status()).as(run.out()).isZero();
    tamperedSession = cp.sessions.awaitIdOf("tamper-me");
    cp.sessions.verifiedAs(tamperedSession, "INTACT");

    Path segment = objectsOf(tamperedSession).resolve("seg-000001.wseg");
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 100] ^= 0x01;
    Files.write(segment, bytes);

    JsonNode verdict =
        cp.api.post("/api/v1/sessions/" + tamperedSession + "/verify", Map.of()).expect(200);
    assertThat(verdict.get("integrity").asText()).isEqualTo("TAMPERED");
    assertThat(verdict.get("kind").asText()).isEqualTo("MODIFIED");
    assertThat(verdict.get("segment").asLong()).isEqualTo(1);
    JsonNode listed = cp.api.get("/api/v1/sessions?integrity=TAMPERED").expect(200).get("items");
    assertThat(listed).extracting(s -> s.get("id").asText()).containsExactly(tamperedSession);
    assertThat(listed.get(0).get("integrityKind").asText()).isEqualTo("MODIFIED");

    WardCli.Run cli = ward("verify", "--session", tamperedSession);
    assertThat(cli.status()).as(cli.out()).isEqualTo(2);
    assertThat(cli.out()).contains("TAMPERED (modified, segment 1)");
  }

  @Test
  @Order(4)
  void anotherTenantCannotReadVerifyDownloadOrHoldTheSession() throws Exception {
    String otherAdmin =
        new dev.ward.stack.WardApi(cp.url(), cp.bootstrap)
            .post("/api/v1/admin/tenants", Map.of("slug", "it-other", "name", "Other"))
            .expect(201)
            .get("adminToken")
            .asText();
    var other = cp.api.as(otherAdmin);
    String base = "/api/v1/sessions/" + killedSession;
    assertThat(other.get(base).status()).isEqualTo(404);
    assertThat(other.get(base + "/events").status()).isEqualTo(404);
    assertThat(other.post(base + "/verify", Map.of()).status()).isEqualTo(404);
    assertThat(other.get(base + "/download").status()).isEqualTo(404);
    assertThat(other.put(base + "/legal-hold", Map.of("reason", "x")).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/sessions").expect(200).get("items")).isEmpty();
  }

  @Test
  @Order(5)
  void aMissingBucketIsAClearErrorAndTheControlPlaneDoesNotCreateIt() throws Exception {
    Path bucket = cp.s3.dataDir().resolve("recordings");
    Path away = cp.s3.dataDir().resolve("recordings-moved-away");
    Files.move(bucket, away);
    try {
      var answer = cp.api.post("/api/v1/sessions/" + killedSession + "/verify", Map.of());
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.body().get("title").asText()).isEqualTo("Recording Storage Unavailable");
      assertThat(answer.body().get("detail").asText())
          .startsWith("The recordings bucket \"recordings\" does not exist.")
          .contains("WARD_RECORDING_BUCKET");
      assertThat(bucket).doesNotExist();
    } finally {
      Files.move(away, bucket);
    }
    cp.sessions.verifiedAs(killedSession, "INTACT_RECOVERED");
  }

  @Test
  @Order(6)
  void legalHoldIsRoleCheckedAndAudited() throws Exception {
    String auditor = cp.apiToken("evidence-auditor", "ward-auditors");
    String member = cp.apiToken("evidence-member", "ward-members");
    String hold = "/api/v1/sessions/" + killedSession + "/legal-hold";

    assertThat(cp.api.as(member).put(hold, Map.of("reason", "case 7")).status()).isEqualTo(403);
    assertThat(cp.api.as(auditor).put(hold, Map.of("reason", "")).status()).isEqualTo(400);
    JsonNode held = cp.api.as(auditor).put(hold, Map.of("reason", "case 7")).expect(200);
    assertThat(held.get("legalHold").asBoolean()).isTrue();
    assertThat(held.get("legalHoldReason").asText()).isEqualTo("case 7");
    assertThat(cp.api.as(auditor).delete(hold).status()).isEqualTo(403);

    JsonNode audit = cp.api.get("/api/v1/audit?targetId=" + killedSession).expect(200);
    assertThat(audit.get("items"))
        .extracting(a -> a.get("action").asText())
        .contains("session.legal-hold-set", "session.verify");
  }

  @Test
  @Order(7)
  void retentionDeletesExpiredRecordingsButNeverOneUnderLegalHold() throws Exception {
    assertThat(cp.api.put("/api/v1/recording-retention", Map.of("days", 0)).status())
        .isEqualTo(400);
    cp.api.put("/api/v1/recording-retention", Map.of("days", 1)).expect(200);
    assertThat(cp.api.get("/api/v1/recording-retention").expect(200).get("days").asInt())
        .isEqualTo(1);
    try (var db = DriverManager.getConnection(cp.db.jdbcUrl(), cp.db.user(), cp.db.password());
        var st = db.createStatement()) {
      st.executeUpdate(
          "UPDATE sessions SET started_at = now() - interval '3 days',"
              + " ended_at = now() - interval '3 days'");
    }

    awaitRecordingDeleted(tamperedSession);
    assertThat(objectsOf(tamperedSession))
        .satisfiesAnyOf(
            p -> assertThat(Files.exists(p)).isFalse(),
            p -> {
              try (var files = Files.list(p)) {
                assertThat(files.toList()).isEmpty();
              }
            });
    assertThat(cp.api.get("/api/v1/sessions/" + tamperedSession + "/events").status())
        .isEqualTo(410);

    // Held: still there after several runs of the job, and still verifiable.
    Thread.sleep(5000);
    JsonNode held = cp.api.get("/api/v1/sessions/" + killedSession).expect(200);
    assertThat(held.get("recordingDeletedAt").isNull()).isTrue();
    assertThat(Files.exists(objectsOf(killedSession).resolve("manifest.wman"))).isTrue();
    cp.sessions.verifiedAs(killedSession, "INTACT_RECOVERED");

    cp.api.delete("/api/v1/sessions/" + killedSession + "/legal-hold").expect(200);
    awaitRecordingDeleted(killedSession);
    assertThat(Files.exists(objectsOf(killedSession).resolve("manifest.wman"))).isFalse();
    JsonNode audit = cp.api.get("/api/v1/audit?action=session.recording-delete").expect(200);
    assertThat(audit.get("items"))
        .extracting(a -> a.get("targetId").asText())
        .contains(killedSession, tamperedSession);
  }
}
