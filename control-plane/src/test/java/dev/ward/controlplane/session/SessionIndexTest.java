package dev.ward.controlplane.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Hello;
import dev.ward.proto.channel.v1.SessionNotice;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(90)
class SessionIndexTest {

  private static final long STARTED = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

  @TestHTTPResource("/")
  URL base;

  private ManagedChannel channel;

  @BeforeEach
  void open() {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A connected test agent of one tenant. */
  private final class TestAgent {
    final String id;
    final StreamObserver<AgentMessage> out;
    final LinkedBlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();

    TestAgent(String admin, String name) throws InterruptedException {
      String token =
          given()
              .auth()
              .oauth2(admin)
              .contentType(ContentType.JSON)
              .body(Map.of("name", name))
              .post("/api/v1/agents")
              .then()
              .statusCode(201)
              .extract()
              .path("token");
      id =
          given()
              .auth()
              .oauth2(admin)
              .get("/api/v1/agents")
              .then()
              .extract()
              .path("items.find { it.name == '" + name + "' }.id");
      out =
          AgentChannelGrpc.newStub(channel)
              .connect(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ControlMessage m) {
                      received.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setToken(token)).build());
      // The snapshot says the control plane accepted the agent.
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

    void send(SessionNotice notice) {
      out.onNext(AgentMessage.newBuilder().setSession(notice).build());
    }
  }

  private static SessionNotice.Builder notice(String sessionId, String connectionId) {
    return SessionNotice.newBuilder()
        .setSessionId(sessionId)
        .setWorkSessionId("ws-42")
        .setConnectionId(connectionId)
        .setSubject("alice-sub")
        .setEmail("alice@example.com")
        .setActor("claude-code")
        .setStartedUnixMillis(STARTED)
        .setRecordingPrefix("tenants/t/sessions/" + sessionId + "/")
        .setPolicyVersion(3);
  }

  private static SessionNotice ended(String sessionId, String connectionId) {
    return notice(sessionId, connectionId)
        .setState("ended")
        .setEndedUnixMillis(STARTED + 60_000)
        .setStatementCount(4)
        .setMaskedCount(2)
        .setBlockedCount(1)
        .setSearchText("SELECT email FROM Customers\nUPDATE orders SET paid = true")
        .build();
  }

  /** The ids of the sessions a list request finds, with query parameters as name, value pairs. */
  private static List<String> ids(Api api, String... params) {
    var request = api.request();
    for (int i = 0; i < params.length; i += 2) {
      request.queryParam(params[i], params[i + 1]);
    }
    return request.get("/api/v1/sessions").then().statusCode(200).extract().path("items.id");
  }

  @Test
  void anEndedSessionIsIndexedAndFoundThroughEveryFilter() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    Api auditor = new Api(TestTokens.withRoles(admin, Roles.AUDITOR));
    String connection = new Api(admin).create("/api/v1/connections", Api.connection("pg", 7301));
    TestAgent agent = new TestAgent(admin, "edge");
    String session = UUID.randomUUID().toString();

    agent.send(notice(session, connection).setState("started").build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ids(auditor)).containsExactly(session));
    agent.send(ended(session, connection));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        auditor
                            .get("/api/v1/sessions/" + session)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("state"))
                    .isEqualTo("ended"));

    Map<String, Object> detail =
        auditor.get("/api/v1/sessions/" + session).then().extract().path("");
    assertThat(detail)
        .containsEntry("agentId", agent.id)
        .containsEntry("connectionId", connection)
        .containsEntry("workSessionId", "ws-42")
        .containsEntry("subject", "alice-sub")
        .containsEntry("email", "alice@example.com")
        .containsEntry("actor", "claude-code")
        .containsEntry("statementCount", 4)
        .containsEntry("maskedCount", 2)
        .containsEntry("blockedCount", 1)
        .containsEntry("policyVersion", 3)
        .containsEntry("recordingPrefix", "tenants/t/sessions/" + session + "/");
    assertThat(detail).containsEntry("approvalCount", 0);
    // a statement of the session held for approval counts in the index
    agent.out.onNext(
        AgentMessage.newBuilder()
            .setApprovalRequest(
                ApprovalRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setSessionId(session)
                    .setConnectionId(connection)
                    .setConnectionName("orders")
                    .setSubject("alice-sub")
                    .setActor("claude-code")
                    .setKind("postgres")
                    .setOperation("UPDATE orders SET paid = true WHERE id = 1")
                    .setOperationHash("b".repeat(64))
                    .setRule("hold-updates")
                    .setApproverGroup("ward-approvers")
                    .addApproverGroups("ward-approvers")
                    .setMinApprovals(1)
                    .setExpiresUnixMillis(System.currentTimeMillis() + 600_000))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        auditor
                            .get("/api/v1/sessions/" + session)
                            .then()
                            .extract()
                            .<Integer>path("approvalCount"))
                    .isEqualTo(1));
    assertThat(Instant.parse((String) detail.get("startedAt")).toEpochMilli()).isEqualTo(STARTED);
    assertThat(Instant.parse((String) detail.get("endedAt")).toEpochMilli())
        .isEqualTo(STARTED + 60_000);

    List<List<String>> matches =
        List.of(
            List.of("engineer", "alice-sub"),
            List.of("engineer", "alice@example.com"),
            List.of("actor", "claude-code"),
            List.of("connectionId", connection),
            List.of("agentId", agent.id),
            List.of("state", "ended"),
            List.of("from", "2026-03-01T09:00:00Z", "to", "2026-03-01T11:00:00Z"),
            List.of("q", "customers"),
            List.of("q", "PAID = TRUE"),
            List.of("workSession", "ws-42"));
    for (List<String> match : matches) {
      assertThat(ids(auditor, match.toArray(String[]::new)))
          .as(match.toString())
          .containsExactly(session);
    }
    List<List<String>> misses =
        List.of(
            List.of("engineer", "bob"),
            List.of("actor", "cursor"),
            List.of("connectionId", UUID.randomUUID().toString()),
            List.of("agentId", UUID.randomUUID().toString()),
            List.of("state", "started"),
            List.of("from", "2026-03-01T10:00:01Z"),
            List.of("q", "invoices"),
            List.of("workSession", "ws-43"),
            List.of("q", "%"),
            List.of("q", "paid_"));
    for (List<String> miss : misses) {
      assertThat(ids(auditor, miss.toArray(String[]::new))).as(miss.toString()).isEmpty();
    }
  }

  @Test
  void aRepeatedOrLateNoticeNeverMovesASessionBackNorDuplicatesIt() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    Api api = new Api(admin);
    TestAgent agent = new TestAgent(admin, "edge");
    String session = UUID.randomUUID().toString();

    agent.send(ended(session, ""));
    agent.send(ended(session, ""));
    agent.send(notice(session, "").setState("started").build());
    // Notices are handled concurrently; whatever their order, the end wins.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(ids(api)).containsExactly(session);
              Map<String, Object> s =
                  api.get("/api/v1/sessions/" + session).then().extract().path("");
              assertThat(s).containsEntry("state", "ended").containsEntry("statementCount", 4);
            });
    Thread.sleep(500); // let a late "started" land if it has not yet
    assertThat(api.get("/api/v1/sessions/" + session).then().extract().<String>path("state"))
        .isEqualTo("ended");
  }

  @Test
  void anotherTenantSeesNeitherTheSessionNorCanClaimItsId() throws Exception {
    String adminA = TestTokens.newTenantAdmin();
    String adminB = TestTokens.newTenantAdmin();
    Api a = new Api(adminA);
    Api b = new Api(adminB);
    String connectionOfA = a.create("/api/v1/connections", Api.connection("pg", 7302));
    TestAgent agentA = new TestAgent(adminA, "edge-a");
    TestAgent agentB = new TestAgent(adminB, "edge-b");
    String session = UUID.randomUUID().toString();

    agentA.send(ended(session, connectionOfA));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ids(a)).containsExactly(session));

    // B's agent reuses A's session id and points at A's connection: nothing of A changes.
    agentB.send(
        notice(session, connectionOfA).setState("interrupted").setSubject("mallory").build());
    String sessionOfB = UUID.randomUUID().toString();
    agentB.send(notice(sessionOfB, connectionOfA).setState("started").build());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ids(b)).containsExactly(sessionOfB));

    assertThat(
            b.get("/api/v1/sessions/" + sessionOfB).then().extract().<String>path("connectionId"))
        .isNull();
    b.get("/api/v1/sessions/" + session).then().statusCode(404);
    assertThat(ids(b, "q", "customers")).isEmpty();
    Map<String, Object> ofA = a.get("/api/v1/sessions/" + session).then().extract().path("");
    assertThat(ofA).containsEntry("state", "ended").containsEntry("subject", "alice-sub");
  }

  @Test
  void membersCannotReadTheSessionIndex() {
    String admin = TestTokens.newTenantAdmin();
    new Api(TestTokens.withRoles(admin, Roles.MEMBER))
        .get("/api/v1/sessions")
        .then()
        .statusCode(403);
  }

  @Test
  void anOverlongSearchIsRefusedNamingTheParameter() {
    new Api(TestTokens.newTenantAdmin())
        .get("/api/v1/sessions?q=" + "x".repeat(300))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }
}
