package dev.ward.controlplane.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ConfigAck;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Heartbeat;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class AgentChannelTest {

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

  /** A stream of an agent under test: what it received and how it ended. */
  static final class Received implements StreamObserver<ControlMessage> {
    final LinkedBlockingQueue<ControlMessage> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public void onNext(ControlMessage m) {
      messages.add(m);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }

    ControlMessage next() throws InterruptedException {
      ControlMessage m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message from the control plane").isNotNull();
      return m;
    }
  }

  private static String register(String admin, String name) {
    return given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("name", name))
        .post("/api/v1/agents")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  private static Map<String, Object> agentStatus(String admin) {
    return given().auth().oauth2(admin).get("/api/v1/agents").then().extract().path("items[0]");
  }

  @Test
  void anAgentWithAValidTokenReceivesItsTenantsSnapshotAndShowsOnline() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    String token = register(admin, "edge");
    Received received = new Received();
    StreamObserver<AgentMessage> out = AgentChannelGrpc.newStub(channel).connect(received);
    out.onNext(
        AgentMessage.newBuilder()
            .setHello(Hello.newBuilder().setToken(token).setVersion("9.9.9").setHostname("box"))
            .build());

    ControlMessage first = received.next();
    assertThat(first.hasSnapshot()).isTrue();
    long version = first.getSnapshot().getVersion();
    assertThat(version).isPositive();

    out.onNext(
        AgentMessage.newBuilder().setAck(ConfigAck.newBuilder().setVersion(version)).build());
    out.onNext(
        AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setUnixMillis(1)).build());
    assertThat(received.next().hasHeartbeatAck()).isTrue();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Object> status = agentStatus(admin);
              assertThat(status.get("status")).isEqualTo("online");
              assertThat(status.get("version")).isEqualTo("9.9.9");
              assertThat(((Number) status.get("configVersionAcked")).longValue())
                  .isEqualTo(version);
            });

    out.onCompleted();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(agentStatus(admin).get("status")).isEqualTo("offline"));
  }

  @Test
  void anUnknownTokenIsRefusedAsUnauthenticated() throws Exception {
    Received received = new Received();
    StreamObserver<AgentMessage> out = AgentChannelGrpc.newStub(channel).connect(received);
    out.onNext(
        AgentMessage.newBuilder()
            .setHello(Hello.newBuilder().setToken("wat_made-up").setVersion("1"))
            .build());
    Status status = received.end.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(received.messages).isEmpty();
  }

  @Test
  void aRevokedAgentIsDisconnectedAndCannotReconnect() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    String token = register(admin, "doomed");
    Received first = new Received();
    AgentChannelGrpc.newStub(channel)
        .connect(first)
        .onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setToken(token)).build());
    assertThat(first.next().hasSnapshot()).isTrue();

    String id = (String) agentStatus(admin).get("id");
    given().auth().oauth2(admin).post("/api/v1/agents/" + id + "/revoke").then().statusCode(200);
    assertThat(first.end.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    Received again = new Received();
    AgentChannelGrpc.newStub(channel)
        .connect(again)
        .onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setToken(token)).build());
    assertThat(again.end.get(10, TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(agentStatus(admin).get("status")).isEqualTo("revoked");
  }

  @Test
  void aStreamThatDoesNotStartWithHelloIsRefused() throws Exception {
    Received received = new Received();
    AgentChannelGrpc.newStub(channel)
        .connect(received)
        .onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()).build());
    assertThat(received.end.get(10, TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
