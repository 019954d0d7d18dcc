package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.agent.recorder.RecordingDownloader;
import dev.ward.proto.recording.v1.Event;
import dev.ward.recording.DirectorySource;
import dev.ward.recording.RecordingReader;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.Verdict;
import dev.ward.recording.store.MinioObjectStore;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Database;
import dev.ward.stack.FakeModelServer;
import dev.ward.stack.ManagedProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.Repository;
import dev.ward.stack.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LLM gateway over real processes: `ward exec` gives a tool grants for a model API and a
 * database under one work session; the tool asks the model (with a key pasted into the prompt),
 * then runs the query the model suggested. The recordings in the bucket show both under the same
 * work session — prompt (masked), suggestion, then the SQL, in that order — and the key reached
 * neither the model nor the bucket.
 */
@Timeout(240)
class LlmWorkSessionIT {

  static final String PROVIDER_KEY = "sk-provider-" + System.nanoTime();
  static final String PASTED_KEY = "AKIAQ3EGRBXJ7K4N2WPZ";

  static ControlPlaneFixture cp;
  static Database shop;
  static S3Server s3;
  static FakeModelServer model;
  static AgentProcess agent;

  @BeforeAll
  static void start() throws Exception {
    cp = new ControlPlaneFixture("llm");
    shop = cp.postgres.createDatabase("ward_llm_shop");
    try (var c = DriverManager.getConnection(shop.jdbcUrl(), shop.user(), shop.password());
        var st = c.createStatement()) {
      st.execute(
          "CREATE TABLE customers (id int PRIMARY KEY, email text);"
              + " INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'grace@example.com')");
    }
    s3 =
        new S3Server(
                cp.logs.resolve("s3"), "ward-it", "ward-it-secret-key", cp.logs.resolve("s3.log"))
            .start();
    s3.createBucket("recordings");
    model = FakeModelServer.start(0, PROVIDER_KEY, Duration.ofMillis(5));

    String policy =
        cp.api
            .post(
                "/api/v1/policies",
                Map.of(
                    "name",
                    "default",
                    "document",
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(dev.ward.policy.Policies.DEFAULT_POLICY_JSON)))
            .expect(201)
            .get("id")
            .asText();
    int modelPort = Ports.free();
    int dbPort = Ports.free();
    cp.api
        .post(
            "/api/v1/connections",
            Map.of(
                "name",
                "model",
                "kind",
                "llm",
                "listenPort",
                modelPort,
                "target",
                "http://127.0.0.1:" + model.port(),
                "secretRef",
                "env:PROVIDER_KEY",
                "credentialStyle",
                "bearer",
                "allowPlaintextGrant",
                true,
                "policyId",
                policy,
                // the session closes (and its manifest is written) soon after the last exchange
                "options",
                Map.of("session_idle_seconds", "2")))
        .expect(201);
    cp.api
        .post(
            "/api/v1/connections",
            Map.of(
                "name",
                "shop",
                "kind",
                "postgres",
                "listenPort",
                dbPort,
                "target",
                shop.host() + ":" + shop.port(),
                "database",
                shop.name(),
                "username",
                shop.user(),
                "secretRef",
                "env:SHOP_PASSWORD",
                "upstreamTls",
                "disable",
                "policyId",
                policy))
        .expect(201);
    Map<String, String> env = new HashMap<>();
    env.put("PROVIDER_KEY", PROVIDER_KEY);
    env.put("SHOP_PASSWORD", shop.password() == null ? "" : shop.password());
    env.put("WARD_AGENT_RECORDING_ENDPOINT", s3.endpoint());
    env.put("WARD_AGENT_RECORDING_BUCKET", "recordings");
    env.put("WARD_AGENT_RECORDING_ACCESS_KEY", s3.accessKey());
    env.put("WARD_AGENT_RECORDING_SECRET_KEY", s3.secretKey());
    agent =
        new AgentProcess(
                cp.url(),
                cp.registerAgent("edge"),
                cp.logs.resolve("agent-data"),
                Ports.free(),
                env,
                cp.logs.resolve("agent.log"))
            .start();
    agent.awaitReady(Duration.ofSeconds(60));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(agent.readiness())
                    .contains("\"model\":" + modelPort)
                    .contains("\"shop\":" + dbPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, model, s3}) {
      if (c != null) {
        c.close();
      }
    }
    if (cp != null) {
      if (shop != null) {
        cp.postgres.dropDatabase(shop);
      }
      cp.close();
    }
  }

  @Test
  void promptSuggestionAndTheQueryThatFollowedAreRecordedUnderOneWorkSession() throws Exception {
    // The "AI tool": asks the model through OPENAI_BASE_URL, then runs the query it suggested.
    String tool =
        "curl -sf \"$OPENAI_BASE_URL/chat/completions\" -H \"Authorization: Bearer $OPENAI_API_KEY\""
            + " -H 'Content-Type: application/json' -d '{\"model\":\"demo-model\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"list customers; my key is "
            + PASTED_KEY
            + "\"}]}' > answer.json"
            + " && sed -n 's/.*Suggested query: \\([^\"]*\\)\".*/\\1/p' answer.json > query.sql"
            + " && test -s query.sql"
            + " && psql -X -A -t -f query.sql"
            + " && echo \"session=$WARD_WORK_SESSION\"";
    Path work = Files.createTempDirectory("ward-llm-tool");
    ProcessBuilder pb =
        new ProcessBuilder(
                ManagedProcess.javaBinary(),
                "-jar",
                Repository.artifact("cli/target/ward-cli.jar").toString(),
                "exec",
                "-c",
                "model",
                "-c",
                "shop",
                "--actor",
                "claude-code",
                "--",
                "sh",
                "-c",
                tool)
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().put("WARD_API_URL", cp.url() + "/api/v1");
    pb.environment().put("WARD_API_TOKEN", cp.tenantAdminToken);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // the suggested query ran through Ward and returned the customers
    assertThat(out).contains("1|ada@example.com").contains("2|grace@example.com");
    Matcher m = Pattern.compile("session=(ws_[0-9a-f]{20})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    String workSession = m.group(1);

    // the model never saw the pasted key, nor the grant; it got the provider key from the agent
    assertThat(model.received()).hasSize(1);
    FakeModelServer.Received asked = model.received().getFirst();
    assertThat(asked.body()).doesNotContain(PASTED_KEY).contains("[REDACTED:aws-access-key");
    assertThat(asked.headers().get("Authorization")).containsExactly("Bearer " + PROVIDER_KEY);

    List<List<Event>> sessions = recordedSessionsOf(workSession, 2);
    Event llm = null;
    Event statement = null;
    for (List<Event> events : sessions) {
      for (Event e : events) {
        assertThat(e.toString()).doesNotContain(PASTED_KEY).doesNotContain(PROVIDER_KEY);
        if (e.hasLlm()) {
          llm = e;
        }
        if (e.hasStatement() && e.getStatement().getText().startsWith("SELECT id, email")) {
          statement = e;
        }
      }
    }
    assertThat(llm).as("the model exchange is recorded").isNotNull();
    assertThat(statement).as("the suggested query is recorded").isNotNull();
    assertThat(llm.getLlm().getModel()).isEqualTo("demo-model");
    assertThat(llm.getLlm().getRequestJson()).contains("[REDACTED:aws-access-key");
    assertThat(llm.getLlm().getCompletionText()).contains(FakeModelServer.SUGGESTION);
    assertThat(statement.getStatement().getText()).isEqualTo(FakeModelServer.SUGGESTION);
    // prompt -> suggestion -> action, in time order
    assertThat(llm.getUnixNanos()).isLessThan(statement.getUnixNanos());
  }

  /** Downloads and verifies every session of the work session, waiting for {@code expected}. */
  private static List<List<Event>> recordedSessionsOf(String workSession, int expected)
      throws Exception {
    // the key the agent announced to the control plane (its private half is sealed on its disk)
    var key =
        dev.ward.recording.TrustedKeys.parse(cp.agent("edge").get("recordingPublicKey").asText());
    List<List<Event>> found = new ArrayList<>();
    try (MinioObjectStore store =
        new MinioObjectStore(
            s3.endpoint(), "", "recordings", s3.accessKey(), s3.secretKey(), false)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                found.clear();
                for (var o : store.list("")) {
                  if (!o.key().endsWith("manifest.wman")) {
                    continue;
                  }
                  String[] parts = o.key().split("/");
                  Path dir = Files.createTempDirectory("ward-rec-");
                  new RecordingDownloader(store).download(parts[1], parts[parts.length - 2], dir);
                  Verdict v = RecordingVerifier.verifyDirectory(dir, List.of(key));
                  assertThat(v.status()).as(v.describe()).isEqualTo(Verdict.Status.INTACT);
                  List<Event> events =
                      new RecordingReader(new DirectorySource(dir)).readAll(10_000);
                  boolean ours =
                      events.stream()
                          .anyMatch(
                              e ->
                                  e.hasStart()
                                      && e.getStart()
                                          .getIdentity()
                                          .getWorkSessionId()
                                          .equals(workSession));
                  if (ours) {
                    found.add(events);
                  }
                }
                assertThat(found).hasSize(expected);
              });
    }
    return found;
  }
}
