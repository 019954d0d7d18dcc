package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.proto.recording.v1.Event;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Database;
import dev.ward.stack.FakeModelServer;
import dev.ward.stack.Ports;
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
  static FakeModelServer model;
  static AgentProcess agent;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlaneFixture.withRecordings("llm");
    shop = cp.postgres.createDatabase("ward_llm_shop");
    try (var c = DriverManager.getConnection(shop.jdbcUrl(), shop.user(), shop.password());
        var st = c.createStatement()) {
      st.execute(
          "CREATE TABLE customers (id int PRIMARY KEY, email text);"
              + " INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'grace@example.com')");
    }
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
    Map<String, String> env = new HashMap<>(cp.agentRecordingSettings());
    env.put("PROVIDER_KEY", PROVIDER_KEY);
    env.put("SHOP_PASSWORD", shop.password() == null ? "" : shop.password());
    agent = cp.startAgent(env, Map.of("model", modelPort, "shop", dbPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, model}) {
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
    WardCli.Run run =
        WardCli.run(
            WardCli.asTenantAdmin(
                    cp,
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
                .directory(work.toFile()),
            Duration.ofSeconds(90));
    assertThat(run.status()).as(run.out()).isZero();
    String out = run.out();
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
  private static List<List<Event>> recordedSessionsOf(String workSession, int expected) {
    List<List<Event>> found = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              found.clear();
              for (List<Event> events : cp.sessions.inBucket("edge")) {
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
    return found;
  }
}
