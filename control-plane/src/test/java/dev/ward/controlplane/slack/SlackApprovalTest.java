package dev.ward.controlplane.slack;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.SlackStubResource;
import dev.ward.controlplane.support.TestAgent;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.stack.SlackStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Approvals through Slack against a local stub of Slack's API: the request is posted with buttons,
 * a signed button press from an approver decides it and updates the message in place; bad, stale
 * and replayed signatures, and Slack users who are no approvers, decide nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SlackStubResource.class, restrictToAnnotatedClass = false)
@Timeout(120)
class SlackApprovalTest {

  static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  @TestHTTPResource("/")
  URL base;

  private String admin;
  private Api adminApi;
  private TestAgent agent;
  private UUID tenant;
  private SlackStub slack;

  @BeforeEach
  void tenantWithSlack() throws Exception {
    slack = SlackStubResource.stub();
    admin = TestTokens.newTenantAdmin();
    adminApi = new Api(admin);
    agent = new TestAgent(admin, base.getPort());
    tenant = (UUID) db("SELECT tenant_id FROM agents WHERE id = ?", agent.id);
    adminApi
        .put(
            "/api/v1/settings/slack",
            null,
            Map.of(
                "botToken",
                SlackStubResource.BOT_TOKEN,
                "channel",
                "C0APPROVALS",
                "signingSecret",
                SIGNING_SECRET))
        .then()
        .statusCode(200);
    user("U0ALICE", "alice@example.com", "ward-approvers");
    user("U0BOB", "bob@example.com", "ward-members");
  }

  @AfterEach
  void close() throws Exception {
    agent.close();
  }

  private static Object db(String sql, Object... params) {
    return TestDatabase.queryOne(
        ConfigProvider.getConfig().getValue("ward.db.name", String.class), sql, params);
  }

  /** A Ward user (as signing in mirrors them) who is also a member of the Slack workspace. */
  private void user(String slackId, String email, String group) {
    String unique = slackId + "-" + tenant;
    slack.user(unique, email + "." + tenant);
    UUID user = UUID.randomUUID();
    db(
        "INSERT INTO users (id, tenant_id, subject, email) VALUES (?, ?, ?, ?) RETURNING id",
        user,
        tenant,
        "kc-" + slackId,
        email + "." + tenant);
    db(
        "INSERT INTO groups (id, tenant_id, name, source) VALUES (gen_random_uuid(), ?, ?, 'ward')"
            + " ON CONFLICT (tenant_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
        tenant,
        group);
    db(
        "INSERT INTO group_members (group_id, user_id) SELECT id, ? FROM groups WHERE tenant_id ="
            + " ? AND name = ? RETURNING user_id",
        user,
        tenant,
        group);
  }

  private String slackUser(String slackId) {
    return slackId + "-" + tenant;
  }

  /** Sends a held operation as the agent does; returns the approval id once Slack was told. */
  private String requestPostedToSlack(String requestId) {
    return requestPostedToSlack(requestId, Duration.ofMinutes(10));
  }

  private String requestPostedToSlack(String requestId, Duration expiresIn) {
    agent.send(
        AgentMessage.newBuilder()
            .setApprovalRequest(
                ApprovalRequest.newBuilder()
                    .setRequestId(requestId)
                    .setConnectionName("orders")
                    .setSubject("kc-engineer")
                    .setEmail("eve@example.com")
                    .setActor("claude-code")
                    .setKind("postgres")
                    .setOperation("UPDATE accounts SET balance = 0 WHERE id < 10")
                    .setOperationHash("b".repeat(64))
                    .setRule("hold-updates")
                    .setRuleReason("Changes to accounts need an approver.")
                    .setApproverGroup("ward-approvers")
                    .addApproverGroups("ward-approvers")
                    .setMinApprovals(1)
                    .setExpiresUnixMillis(System.currentTimeMillis() + expiresIn.toMillis()))
            .build());
    JsonNode[] posted = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              posted[0] =
                  slack.calls("/api/chat.postMessage").stream()
                      .map(SlackStub.Call::body)
                      .filter(b -> b.toString().contains("eve@example.com"))
                      .filter(b -> b.toString().contains(idOf(requestId)))
                      .findFirst()
                      .orElse(null);
              assertThat(posted[0]).isNotNull();
              // the message's ts is kept once Slack answered, to update it in place later
              assertThat(db("SELECT slack_ts FROM approvals WHERE request_id = ?", requestId))
                  .isNotNull();
            });
    return idOf(requestId);
  }

  private String idOf(String requestId) {
    Object id = db("SELECT id FROM approvals WHERE request_id = ?", requestId);
    return id == null ? "-none-" : id.toString();
  }

  private Response press(
      String slackId, String action, String approvalId, long timestamp, String secret) {
    String body =
        SlackStub.interactionBody(
            slack.blockAction(
                slackUser(slackId),
                action + approvalId,
                approvalId,
                "C0APPROVALS",
                "ignored",
                "r-" + approvalId));
    return post(body, timestamp, SlackStub.signature(secret, timestamp, body));
  }

  private Response post(String body, long timestamp, String signature) {
    return given()
        .contentType("application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
        .header("X-Slack-Signature", signature)
        .body(body)
        .post("/api/v1/slack/interactions/" + tenant);
  }

  /**
   * Waits for the Slack message {@code ts} to be updated in place without error (updates follow the
   * decision asynchronously), then checks the update.
   */
  private void awaitUpdate(String ts, Duration within, Consumer<SlackStub.Call> check) {
    await()
        .atMost(within)
        .untilAsserted(
            () ->
                assertThat(slack.calls("/api/chat.update"))
                    .anySatisfy(
                        c -> {
                          assertThat(c.body().path("ts").asText()).isEqualTo(ts);
                          assertThat(c.error()).isEmpty();
                          check.accept(c);
                        }));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private String state(String id) {
    return adminApi.get("/api/v1/approvals/" + id).then().statusCode(200).extract().path("state");
  }

  @Test
  void aNewRequestIsPostedWithTheEngineerAgentConnectionStatementAndButtons() {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    SlackStub.Call call =
        slack.calls("/api/chat.postMessage").stream()
            .filter(c -> c.body().toString().contains(id))
            .findFirst()
            .orElseThrow();
    assertThat(call.error()).isEmpty();
    assertThat(call.authorization()).isEqualTo("Bearer " + SlackStubResource.BOT_TOKEN);
    assertThat(call.contentType()).startsWith("application/json");
    String message = call.body().toString();
    assertThat(call.body().get("channel").asText()).isEqualTo("C0APPROVALS");
    assertThat(message)
        .contains("eve@example.com", "claude-code", "orders", "UPDATE accounts SET balance = 0")
        .contains("\"action_id\":\"ward-approve:" + id + "\"")
        .contains("\"action_id\":\"ward-deny:" + id + "\"");
    assertThat(db("SELECT slack_ts FROM approvals WHERE id = ?", UUID.fromString(id))).isNotNull();
  }

  @Test
  void aSignedApproveFromAnApproverDecidesAndUpdatesTheMessageInPlace() throws Exception {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    String ts = (String) db("SELECT slack_ts FROM approvals WHERE id = ?", UUID.fromString(id));
    press("U0ALICE", "ward-approve:", id, now(), SIGNING_SECRET).then().statusCode(200);
    assertThat(state(id)).isEqualTo("approved");
    ApprovalDecision d = agent.nextDecision();
    assertThat(d.getOutcome()).isEqualTo("approved");
    assertThat(d.getDecidedBy()).isEqualTo("alice@example.com." + tenant);
    // The message is updated after the decision commits, asynchronously.
    awaitUpdate(
        ts,
        Duration.ofSeconds(10),
        c ->
            assertThat(c.body().toString())
                .contains("Approved by alice@example.com")
                .doesNotContain("ward-approve:"));
    assertThat(slack.calls("/api/chat.update"))
        .filteredOn(c -> ts.equals(c.body().path("ts").asText()))
        .hasSize(1);
    assertThat(
            db(
                "SELECT count(*) FROM audit_events WHERE target_id = ? AND action ="
                    + " 'approval.approve' AND actor = ?",
                id,
                "alice@example.com." + tenant))
        .isEqualTo(1L);
  }

  @Test
  void aDenialThroughTheApiAlsoUpdatesTheSlackMessage() {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    String ts = (String) db("SELECT slack_ts FROM approvals WHERE id = ?", UUID.fromString(id));
    new Api(TestTokens.withRoles(admin, "ward-approvers"))
        .post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "use the migration instead"))
        .then()
        .statusCode(200);
    awaitUpdate(
        ts,
        Duration.ofSeconds(10),
        c ->
            assertThat(c.body().toString())
                .contains("Denied by api-token:")
                .contains("use the migration instead"));
  }

  @Test
  void aBadStaleOrReplayedSignatureDecidesNothing() {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    press("U0ALICE", "ward-approve:", id, now(), "not-the-signing-secret")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    press("U0ALICE", "ward-approve:", id, now() - 6 * 60, SIGNING_SECRET).then().statusCode(401);
    post("payload=%7B%7D", now(), "v0=" + "0".repeat(64)).then().statusCode(401);
    assertThat(state(id)).isEqualTo("pending");

    String body =
        SlackStub.interactionBody(
            slack.blockAction(
                slackUser("U0ALICE"), "ward-approve:" + id, id, "C0APPROVALS", "x", "r-" + id));
    long t = now();
    String signature = SlackStub.signature(SIGNING_SECRET, t, body);
    post(body, t, signature).then().statusCode(200);
    assertThat(state(id)).isEqualTo("approved");
    post(body, t, signature)
        .then()
        .statusCode(401)
        .body("detail", org.hamcrest.Matchers.containsString("replay"));
  }

  @Test
  void aSlackUserWhoIsNoApproverDecidesNothingAndIsToldWhy() {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    press("U0BOB", "ward-approve:", id, now(), SIGNING_SECRET).then().statusCode(200);
    assertThat(state(id)).isEqualTo("pending");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(slack.calls("/response/r-" + id))
                    .anySatisfy(
                        c -> {
                          assertThat(c.error()).isEmpty();
                          assertThat(c.body().get("response_type").asText()).isEqualTo("ephemeral");
                          assertThat(c.body().get("text").asText()).contains("ward-approvers");
                        }));
  }

  /** The denial form views.open was called with for this approval, once Slack was asked. */
  private JsonNode denialFormOpenedFor(String id) {
    JsonNode[] view = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              SlackStub.Call open =
                  slack.calls("/api/views.open").stream()
                      .filter(c -> c.body().toString().contains("ward-deny:" + id))
                      .findFirst()
                      .orElse(null);
              assertThat(open).as("views.open for %s", id).isNotNull();
              assertThat(open.error()).isEmpty();
              assertThat(open.authorization()).isEqualTo("Bearer " + SlackStubResource.BOT_TOKEN);
              assertThat(open.body().get("trigger_id").asText()).isEqualTo("1.2.3");
              view[0] = open.body().get("view");
            });
    return view[0];
  }

  private Response submit(String slackId, JsonNode form, String reason) {
    String body =
        SlackStub.interactionBody(
            slack.viewSubmission(slackUser(slackId), form, Map.of("reason", reason)));
    long t = now();
    return post(body, t, SlackStub.signature(SIGNING_SECRET, t, body));
  }

  @Test
  void aDenyPressOpensAReasonFormAndTheTypedReasonReachesTheEngineerAndTheMessage()
      throws Exception {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    String ts = (String) db("SELECT slack_ts FROM approvals WHERE id = ?", UUID.fromString(id));
    press("U0ALICE", "ward-deny:", id, now(), SIGNING_SECRET).then().statusCode(200);
    JsonNode form = denialFormOpenedFor(id);
    assertThat(state(id)).as("a press alone decides nothing").isEqualTo("pending");

    String reason = "Run it in Thursday's maintenance window & <ping> the DBA";
    Response answer = submit("U0ALICE", form, reason);
    answer.then().statusCode(200);
    assertThat(answer.asString()).as("an empty answer closes the form").isEmpty();
    assertThat(state(id)).isEqualTo("denied");
    ApprovalDecision d = agent.nextDecision();
    assertThat(d.getOutcome()).isEqualTo("denied");
    assertThat(d.getReason()).isEqualTo(reason);
    assertThat(d.getDecidedBy()).isEqualTo("alice@example.com." + tenant);
    awaitUpdate(
        ts,
        Duration.ofSeconds(10),
        c ->
            assertThat(c.body().toString())
                .contains("Denied by alice@example.com")
                .contains("Thursday's maintenance window &amp; &lt;ping&gt;")
                .doesNotContain("ward-deny:")
                .doesNotContain("ward-approve:"));
  }

  @Test
  void aDenialFormFromSomeoneWhoIsNoApproverOrWithoutAReasonStaysOpenAndSaysWhy() {
    String id = requestPostedToSlack(UUID.randomUUID().toString());
    press("U0BOB", "ward-deny:", id, now(), SIGNING_SECRET).then().statusCode(200);
    JsonNode form = denialFormOpenedFor(id);

    Response notApprover = submit("U0BOB", form, "I do not like it");
    notApprover.then().statusCode(200).contentType("application/json");
    assertThat(notApprover.<String>path("response_action")).isEqualTo("errors");
    assertThat(notApprover.<String>path("errors.reason")).contains("ward-approvers");

    Response blank = submit("U0ALICE", form, "   ");
    assertThat(blank.<String>path("response_action")).isEqualTo("errors");
    assertThat(blank.<String>path("errors.reason")).contains("say why you deny it");
    assertThat(state(id)).isEqualTo("pending");

    String forged =
        SlackStub.interactionBody(
            slack.viewSubmission(slackUser("U0ALICE"), form, Map.of("reason", "forged")));
    post(forged, now(), SlackStub.signature("not-the-signing-secret", now(), forged))
        .then()
        .statusCode(401);
    assertThat(state(id)).isEqualTo("pending");
  }

  @Test
  void anExpiredRequestsMessageSaysNobodyDecidedAndLosesItsButtons() {
    String id = requestPostedToSlack(UUID.randomUUID().toString(), Duration.ofSeconds(6));
    String ts = (String) db("SELECT slack_ts FROM approvals WHERE id = ?", UUID.fromString(id));
    // the control plane's expiry pass runs every few seconds; the update follows it asynchronously
    awaitUpdate(
        ts,
        Duration.ofSeconds(40),
        c -> {
          assertThat(c.body().path("text").asText())
              .matches("Expired, nobody decided within [4-6] seconds — .*");
          assertThat(c.body().toString())
              .doesNotContain("ward-approve:")
              .doesNotContain("ward-deny:");
        });
    assertThat(state(id)).isEqualTo("expired");
  }

  @Test
  void slackSecretsAreWriteOnlyAndValidated() {
    adminApi
        .put("/api/v1/settings/slack", null, Map.of("botToken", "xoxb-1"))
        .then()
        .statusCode(400);
    adminApi
        .put(
            "/api/v1/settings/slack",
            null,
            Map.of("webhookUrl", "http://hooks.example/x", "signingSecret", "s"))
        .then()
        .statusCode(400);
    String shown =
        adminApi.get("/api/v1/settings/slack").then().statusCode(200).extract().asString();
    assertThat(shown)
        .contains("\"botToken\":true", "\"signingSecret\":true", "C0APPROVALS")
        .doesNotContain(SlackStubResource.BOT_TOKEN)
        .doesNotContain(SIGNING_SECRET);
    Object audit =
        db(
            "SELECT string_agg(after::text, ' ') FROM audit_events WHERE tenant_id = ? AND"
                + " action = 'slack.settings.update'",
            tenant);
    assertThat(audit.toString())
        .doesNotContain(SlackStubResource.BOT_TOKEN)
        .doesNotContain(SIGNING_SECRET);
    Object sealed =
        db(
            "SELECT encode(bot_token_sealed, 'escape') FROM slack_settings WHERE tenant_id = ?",
            tenant);
    assertThat(sealed.toString()).doesNotContain(SlackStubResource.BOT_TOKEN);
  }
}
