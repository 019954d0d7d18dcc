package dev.ward.controlplane.approval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestAgent;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.channel.v1.ApprovalWithdrawn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The approvals API over a real agent stream: requests an agent sends are recorded once, approvers
 * decide under the rule's terms, and the decision reaches the agent's stream.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(120)
class ApprovalApiTest {

  @TestHTTPResource("/")
  URL base;

  private String admin;
  private Api adminApi;
  private TestAgent agent;

  @BeforeEach
  void connectAnAgent() throws Exception {
    admin = TestTokens.newTenantAdmin();
    adminApi = new Api(admin);
    agent = new TestAgent(admin, base.getPort());
  }

  @AfterEach
  void close() throws InterruptedException {
    agent.close();
  }

  /** An API token of the tenant with this name (its principal is api-token:NAME) and roles. */
  private String token(String name, String... roles) {
    return adminApi
        .post("/api/v1/api-tokens", Map.of("name", name, "roles", List.of(roles)))
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  private ApprovalRequest.Builder request(String subject, String... groups) {
    return ApprovalRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setSessionId(UUID.randomUUID().toString())
        .setConnectionId(UUID.randomUUID().toString())
        .setConnectionName("orders")
        .setSubject(subject)
        .setEmail("")
        .setActor("claude-code")
        .setKind("postgres")
        .setOperation("UPDATE accounts SET balance = 0 WHERE id = 7")
        .setOperationHash("a".repeat(64))
        .setRule("hold-updates")
        .setApproverGroup(groups[0])
        .addAllApproverGroups(List.of(groups))
        .setMinApprovals(1)
        .setExpiresUnixMillis(System.currentTimeMillis() + 600_000);
  }

  /** Sends the request as the agent does and returns the approval's id once it is recorded. */
  private String send(ApprovalRequest r) {
    agent.send(AgentMessage.newBuilder().setApprovalRequest(r).build());
    String[] id = new String[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> items =
                  adminApi
                      .get("/api/v1/approvals?state=pending&size=200")
                      .then()
                      .statusCode(200)
                      .extract()
                      .path("items");
              Map<String, Object> found =
                  items.stream()
                      .filter(i -> r.getRequestId().equals(i.get("requestId")))
                      .findFirst()
                      .orElse(null);
              assertThat(found).as("request %s is pending", r.getRequestId()).isNotNull();
              id[0] = (String) found.get("id");
            });
    return id[0];
  }

  private ApprovalDecision nextDecision() throws InterruptedException {
    return agent.nextDecision();
  }

  private static Object db(String sql, Object... params) {
    return TestDatabase.queryOne(
        ConfigProvider.getConfig().getValue("ward.db.name", String.class), sql, params);
  }

  @Test
  void theInboxStreamShowsANewRequestAndItsDecision() throws Exception {
    String approver = token("inbox-approver", "ward-approvers");
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<java.util.stream.Stream<String>> stream =
        client.send(
            java.net.http.HttpRequest.newBuilder(base.toURI().resolve("api/v1/approvals/events"))
                .header("Authorization", "Bearer " + approver)
                .header("Accept", "text/event-stream")
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    java.util.concurrent.BlockingQueue<String> data =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () ->
                    stream
                        .body()
                        .filter(l -> l.startsWith("data:"))
                        .forEach(l -> data.add(l.substring(5).strip())));
    try {
      Thread.sleep(2500); // the stream has taken its first look
      String id = send(request("api-token:engineer", "ward-approvers").build());
      String pending = poll(data, id);
      assertThat(pending).contains("\"state\":\"pending\"");
      new Api(approver)
          .post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "not now"))
          .then()
          .statusCode(200);
      assertThat(poll(data, id)).contains("\"state\":\"denied\"");
    } finally {
      reader.interrupt();
      client.close();
    }
  }

  /** The next streamed change of approval {@code id}, within ten seconds. */
  private static String poll(java.util.concurrent.BlockingQueue<String> data, String id)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      String d = data.poll(100, TimeUnit.MILLISECONDS);
      if (d != null && d.contains(id)) {
        return d;
      }
    }
    throw new AssertionError("no change of " + id + " on the stream");
  }

  @Test
  void oneApprovalReadsAsTheConsoleExpectsItAndKeepsInternalFieldsInside() {
    ApprovalRequest r =
        request("api-token:engineer", "ward-approvers", "dba")
            .setMaxTimeBoxMillis(90 * 60_000L)
            .build();
    String id = send(r);

    Map<String, Object> detail =
        adminApi.get("/api/v1/approvals/" + id).then().statusCode(200).extract().path("");
    assertThat(detail.keySet())
        .containsExactlyInAnyOrder(
            "id",
            "requestId",
            "sessionId",
            "connectionId",
            "connectionName",
            "subject",
            "email",
            "actor",
            "kind",
            "operation",
            "operationHash",
            "rule",
            "ruleReason",
            "approverGroups",
            "minApprovals",
            "selfApproval",
            "maxTimeBoxMinutes",
            "state",
            "requestedAt",
            "expiresAt",
            "decidedAt",
            "decidedBy",
            "reason",
            "timeBoxUntil",
            "votes");
    assertThat(detail)
        .containsEntry("id", id)
        .containsEntry("requestId", r.getRequestId())
        .containsEntry("sessionId", r.getSessionId())
        .containsEntry("connectionName", "orders")
        .containsEntry("operationHash", r.getOperationHash())
        .containsEntry("approverGroups", List.of("ward-approvers", "dba"))
        .containsEntry("minApprovals", 1)
        .containsEntry("selfApproval", false)
        .containsEntry("maxTimeBoxMinutes", 90)
        .containsEntry("state", "pending")
        .containsEntry("decidedAt", null)
        .containsEntry("votes", List.of());
    assertThat((String) detail.get("requestedAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*");
  }

  @Test
  void aResentRequestIsRecordedOnceAndTheApprovalReachesTheAgentWithinASecond() throws Exception {
    String approver = token("approver-one", "ward-approvers");
    ApprovalRequest r = request("api-token:engineer", "ward-approvers").build();
    String id = send(r);
    agent.send(AgentMessage.newBuilder().setApprovalRequest(r).build());
    Thread.sleep(500);
    assertThat(db("SELECT count(*) FROM approvals WHERE request_id = ?", r.getRequestId()))
        .isEqualTo(1L);

    long start = System.nanoTime();
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("approved"));
    ApprovalDecision d = nextDecision();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(d.getRequestId()).isEqualTo(r.getRequestId());
    assertThat(d.getOutcome()).isEqualTo("approved");
    assertThat(d.getOperationHash()).isEqualTo(r.getOperationHash());
    assertThat(d.getDecidedBy()).isEqualTo("api-token:approver-one");
    assertThat(millis).as("decision pushed in %d ms", millis).isLessThan(1000);

    // an agent that reconnected sends its pending requests again, and hears the decision again
    agent.send(AgentMessage.newBuilder().setApprovalRequest(r).build());
    assertThat(nextDecision().getOutcome()).isEqualTo("approved");

    assertThat(
            db(
                "SELECT string_agg(action, ',' ORDER BY occurred_at) FROM audit_events"
                    + " WHERE target_id = ?",
                id))
        .isEqualTo("approval.request,approval.approve");
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("approved"));
  }

  @Test
  void theEngineerCannotApproveTheirOwnOperationUnlessTheRuleAllowsIt() {
    String self = token("alice", "ward-approvers");
    String id = send(request("api-token:alice", "ward-approvers").build());
    new Api(self)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(403)
        .body("detail", containsString("self-approval"));

    String allowed =
        send(request("api-token:alice", "ward-approvers").setSelfApproval(true).build());
    new Api(self)
        .post("/api/v1/approvals/" + allowed + "/approve", Map.of())
        .then()
        .statusCode(200);
  }

  @Test
  void onlyMembersOfTheRulesApproverGroupsDecide() {
    String approver = token("approver-two", "ward-approvers");
    String member = token("member-two", "ward-members");
    String id = send(request("api-token:engineer", "dba").build());
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(403)
        .body("detail", containsString("dba"));
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "no"))
        .then()
        .statusCode(403);
    new Api(member).post("/api/v1/approvals/" + id + "/approve", Map.of()).then().statusCode(403);
    adminApi
        .get("/api/v1/approvals/" + id)
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("pending"));
  }

  @Test
  void twoApprovalsAreCountedOverDistinctApprovers() throws Exception {
    String first = token("first", "ward-approvers");
    String second = token("second", "ward-approvers");
    String id = send(request("api-token:engineer", "ward-approvers").setMinApprovals(2).build());
    new Api(first)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("pending"))
        .body("votes.size()", org.hamcrest.Matchers.is(1));
    new Api(first).post("/api/v1/approvals/" + id + "/approve", Map.of()).then().statusCode(409);
    new Api(second)
        .post("/api/v1/approvals/" + id + "/approve", Map.of())
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("approved"))
        .body("decidedBy", org.hamcrest.Matchers.is("api-token:first, api-token:second"));
    assertThat(nextDecision().getOutcome()).isEqualTo("approved");
  }

  @Test
  void aDenialNeedsABoundedReasonWhichTheAgentReceives() throws Exception {
    String approver = token("denier", "ward-approvers");
    String id = send(request("api-token:engineer", "ward-approvers").build());
    Api a = new Api(approver);
    a.post("/api/v1/approvals/" + id + "/deny", Map.of())
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    a.post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "x".repeat(501)))
        .then()
        .statusCode(400);
    a.post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "  ")).then().statusCode(400);
    a.post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "not during the freeze"))
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("denied"));
    ApprovalDecision d = nextDecision();
    assertThat(d.getOutcome()).isEqualTo("denied");
    assertThat(d.getReason()).isEqualTo("not during the freeze");
    assertThat(d.getDecidedBy()).isEqualTo("api-token:denier");
    a.post("/api/v1/approvals/" + id + "/approve", Map.of()).then().statusCode(409);
    a.post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "again")).then().statusCode(409);
  }

  @Test
  void aTimeBoxIsBoundedByTheRulesLongest() throws Exception {
    String approver = token("boxer", "ward-approvers");
    String none = send(request("api-token:engineer", "ward-approvers").build());
    new Api(approver)
        .post("/api/v1/approvals/" + none + "/approve", Map.of("timeBoxMinutes", 10))
        .then()
        .statusCode(400);
    String id =
        send(
            request("api-token:engineer", "ward-approvers")
                .setMaxTimeBoxMillis(Duration.ofMinutes(30).toMillis())
                .build());
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/approve", Map.of("timeBoxMinutes", 31))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.is("timeBoxMinutes"));
    long before = System.currentTimeMillis();
    new Api(approver)
        .post("/api/v1/approvals/" + id + "/approve", Map.of("timeBoxMinutes", 30))
        .then()
        .statusCode(200);
    ApprovalDecision d = nextDecision();
    assertThat(d.getTimeBoxUntilUnixMillis()).isBetween(before + 29 * 60_000, before + 31 * 60_000);
  }

  @Test
  void theEngineerOrAnAdminCancelsAndTheAgentsWithdrawalIsRecorded() throws Exception {
    String engineer = token("bob", "ward-members");
    String other = token("carol", "ward-members");
    String id = send(request("api-token:bob", "ward-approvers").build());
    new Api(other).post("/api/v1/approvals/" + id + "/cancel", Map.of()).then().statusCode(403);
    new Api(engineer)
        .post("/api/v1/approvals/" + id + "/cancel", Map.of())
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.is("cancelled"));
    assertThat(nextDecision().getOutcome()).isEqualTo("cancelled");

    ApprovalRequest withdrawn = request("api-token:bob", "ward-approvers").build();
    String w = send(withdrawn);
    agent.send(
        AgentMessage.newBuilder()
            .setApprovalWithdrawn(
                ApprovalWithdrawn.newBuilder()
                    .setRequestId(withdrawn.getRequestId())
                    .setReason("the client cancelled the query"))
            .build());
    ApprovalRequest expired = request("api-token:bob", "ward-approvers").build();
    String e = send(expired);
    agent.send(
        AgentMessage.newBuilder()
            .setApprovalWithdrawn(
                ApprovalWithdrawn.newBuilder()
                    .setRequestId(expired.getRequestId())
                    .setReason("expired"))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              adminApi
                  .get("/api/v1/approvals/" + w)
                  .then()
                  .body("state", org.hamcrest.Matchers.is("withdrawn"));
              adminApi
                  .get("/api/v1/approvals/" + e)
                  .then()
                  .body("state", org.hamcrest.Matchers.is("expired"));
            });
    adminApi.post("/api/v1/approvals/" + w + "/cancel", Map.of()).then().statusCode(409);
  }

  @Test
  void aRequestNobodyDecidesExpires() throws Exception {
    String id =
        send(
            request("api-token:engineer", "ward-approvers")
                .setExpiresUnixMillis(System.currentTimeMillis() + 1500)
                .build());
    ApprovalDecision d = nextDecision();
    assertThat(d.getOutcome()).isEqualTo("expired");
    adminApi
        .get("/api/v1/approvals/" + id)
        .then()
        .body("state", org.hamcrest.Matchers.is("expired"));
  }

  @Test
  void anotherTenantSeesAndDecidesNothingOfThisTenant() {
    String id = send(request("api-token:engineer", "ward-approvers", "ward-admins").build());
    Api stranger = new Api(TestTokens.newTenantAdmin());
    stranger.get("/api/v1/approvals/" + id).then().statusCode(404);
    stranger.post("/api/v1/approvals/" + id + "/approve", Map.of()).then().statusCode(404);
    stranger
        .post("/api/v1/approvals/" + id + "/deny", Map.of("reason", "mine"))
        .then()
        .statusCode(404);
    stranger.post("/api/v1/approvals/" + id + "/cancel", Map.of()).then().statusCode(404);
    List<Object> theirs =
        stranger.get("/api/v1/approvals").then().statusCode(200).extract().path("items");
    assertThat(theirs).isEmpty();
    adminApi
        .get("/api/v1/approvals/" + id)
        .then()
        .body("state", org.hamcrest.Matchers.is("pending"));
  }

  @Test
  void anUnknownStateFilterIsRefused() {
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .get("/api/v1/approvals?state=maybe")
        .then()
        .statusCode(400);
  }
}
