package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.proto.recording.v1.Event;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The first protocol end to end over real processes: psql presents a grant minted by the control
 * plane to a Ward agent, which reaches a SCRAM-protected PostgreSQL with injected credentials,
 * masks the secret in the result, denies a DROP, and records the session to S3-compatible storage,
 * where it verifies as intact and holds no secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class PostgresThroughWardIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final String AWS_KEY = "AKIAQ3EGRBXJ7K4N2WPZ";

  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static String connectionId;
  static int listenPort;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlaneFixture.withRecordings("pg");
    upstream =
        ControlPlaneFixture.startUpstream(
            PostgresCluster.builder().tls(true), UPSTREAM_PASSWORD, "orders");
    upstream.execute(
        "orders",
        "CREATE TABLE customers (id int PRIMARY KEY, name text, api_key text);"
            + " INSERT INTO customers VALUES (1, 'Ada', '"
            + AWS_KEY
            + "'), (2, 'Grace', NULL);"
            + " GRANT ALL ON customers TO app;");
    listenPort = Ports.free();
    Map<String, Object> connection =
        ControlPlaneFixture.postgresConnection(
            "orders", listenPort, upstream, "orders", "ORDERS_DB_PASSWORD");
    connection.put("upstreamTls", "verify-full");
    connection.put(
        "options", Map.of("upstream_ca_file", upstream.certificate().orElseThrow().toString()));
    connectionId = cp.createConnection(connection);
    Map<String, String> env = new HashMap<>(cp.agentRecordingSettings());
    env.put("ORDERS_DB_PASSWORD", UPSTREAM_PASSWORD);
    agent = cp.startAgent(env, Map.of("orders", listenPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String grant(String actor) throws Exception {
    return cp.grant(connectionId, actor);
  }

  record Psql(int status, String out) {}

  static Psql psql(String password, String sslmode, String sql) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "psql",
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "host=127.0.0.1 port=" + listenPort + " dbname=orders user=ada sslmode=" + sslmode,
                "-c",
                sql)
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", password);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Psql(p.exitValue(), out);
  }

  @Test
  @Order(1)
  void psqlWithAGrantReachesTheScramUpstreamAndSeesTheSecretMasked() throws Exception {
    Psql r =
        psql(
            grant("claude-code"), "require", "SELECT id, name, api_key FROM customers ORDER BY id");
    assertThat(r.status()).as(r.out()).isZero();
    assertThat(r.out()).contains("1|Ada|").contains("2|Grace|").doesNotContain(AWS_KEY);
    assertThat(r.out()).contains("REDACTED");
  }

  @Test
  @Order(2)
  void aDropIsDeniedByTheDefaultPolicyWithTheRuleNamed() throws Exception {
    Psql r = psql(grant("claude-code"), "require", "DROP TABLE customers");
    assertThat(r.status()).isNotZero();
    assertThat(r.out()).contains("ERROR").containsIgnoringCase("drop");
    upstream.execute("orders", "SELECT 1 FROM customers LIMIT 1");
  }

  @Test
  @Order(3)
  void aForgedOrWrongConnectionGrantIsRefusedWith28P01() throws Exception {
    String good = grant("claude-code");
    String forged =
        good.substring(0, good.lastIndexOf('.') + 1)
            + "AAAA"
            + good.substring(good.lastIndexOf('.') + 5);
    Psql r = psql(forged, "require", "SELECT 1");
    assertThat(r.status()).isNotZero();
    assertThat(r.out()).contains("signature");
    Psql plain = psql(good, "disable", "SELECT 1");
    assertThat(plain.status()).isNotZero();
  }

  @Test
  @Order(5)
  void wardExecHandsACommandGrantsUnderOneWorkSession() throws Exception {
    WardCli.Run run =
        WardCli.run(
            WardCli.asTenantAdmin(
                cp,
                "exec",
                "-c",
                "orders",
                "--actor",
                "cursor",
                "--",
                "sh",
                "-c",
                "psql -X -A -t -c 'SELECT count(*) FROM customers' && echo \"session=$WARD_WORK_SESSION\""
                    + " && test -z \"$WARD_API_TOKEN\""),
            Duration.ofSeconds(60));
    assertThat(run.status()).as(run.out()).isZero();
    String out = run.out();
    assertThat(out).contains("2").containsPattern("session=ws_[0-9a-f]{20}");
  }

  @Test
  @Order(6)
  void thePsqlSessionAppearsInTheSessionIndexWithItsCounts() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode items =
                  cp.api
                      .get("/api/v1/sessions?actor=claude-code&state=ended&q=from%20customers")
                      .expect(200)
                      .get("items");
              assertThat(items).isNotEmpty();
              JsonNode select = items.get(0);
              assertThat(select.get("connectionId").asText()).isEqualTo(connectionId);
              assertThat(select.get("subject").asText()).isEqualTo("api-token:initial-admin");
              assertThat(select.get("statementCount").asLong()).isPositive();
              assertThat(select.get("maskedCount").asLong()).isPositive();
              assertThat(select.get("searchText").asText()).doesNotContain(AWS_KEY);
            });
  }

  @Test
  @Order(4)
  void everySessionIsRecordedIntactAndNoStoredByteHoldsTheSecret() throws Exception {
    List<List<Event>> recordings = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              recordings.clear();
              recordings.addAll(cp.sessions.inBucket("edge"));
              assertThat(recordings).hasSizeGreaterThanOrEqualTo(2);
            });
    boolean sawMaskedSelect = false;
    boolean sawDeniedDrop = false;
    for (List<Event> events : recordings) {
      for (Event e : events) {
        assertThat(e.toString()).doesNotContain(AWS_KEY).doesNotContain(UPSTREAM_PASSWORD);
        if (e.hasStart()) {
          assertThat(e.getStart().getIdentity().getActor()).isEqualTo("claude-code");
          assertThat(e.getStart().getIdentity().getSubject()).isEqualTo("api-token:initial-admin");
        }
        if (e.hasStatement() && e.getStatement().getText().startsWith("SELECT id, name")) {
          sawMaskedSelect = e.getStatement().getRowCount() == 2;
        }
        if (e.hasStatement() && e.getStatement().getText().startsWith("DROP")) {
          sawDeniedDrop =
              e.getStatement().getBlocked() && e.getStatement().getSqlstate().equals("42501");
        }
      }
    }
    assertThat(sawMaskedSelect).as("the SELECT is recorded with its row count").isTrue();
    assertThat(sawDeniedDrop).as("the DROP is recorded as blocked with 42501").isTrue();
    try (Stream<Path> files = Files.walk(cp.s3.dataDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(bytes)
            .as("stored object %s", f)
            .doesNotContain(AWS_KEY)
            .doesNotContain(UPSTREAM_PASSWORD);
      }
    }
  }
}
