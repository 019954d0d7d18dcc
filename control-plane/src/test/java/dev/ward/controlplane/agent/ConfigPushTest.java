package dev.ward.controlplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ConfigAck;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Config push through PostgreSQL LISTEN/NOTIFY: a change committed through the API reaches the
 * connected agents of that tenant (and only those) as a new snapshot.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class ConfigPushTest {

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

  /** A connected test agent: the snapshots it received. */
  final class TestAgent implements StreamObserver<ControlMessage> {
    final LinkedBlockingQueue<ConfigSnapshot> snapshots = new LinkedBlockingQueue<>();
    final StreamObserver<AgentMessage> out;

    TestAgent(Api admin, String name) throws InterruptedException {
      String token =
          admin
              .post("/api/v1/agents", Map.of("name", name))
              .then()
              .statusCode(201)
              .extract()
              .path("token");
      out = AgentChannelGrpc.newStub(channel).connect(this);
      out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setToken(token)).build());
      ConfigSnapshot first = next(10_000);
      assertThat(first).as("the snapshot on connect").isNotNull();
    }

    ConfigSnapshot next(long millis) throws InterruptedException {
      return snapshots.poll(millis, TimeUnit.MILLISECONDS);
    }

    void ack(long version) {
      out.onNext(
          AgentMessage.newBuilder().setAck(ConfigAck.newBuilder().setVersion(version)).build());
    }

    @Override
    public void onNext(ControlMessage m) {
      if (m.hasSnapshot()) {
        snapshots.add(m.getSnapshot());
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  @Test
  void aNewConnectionReachesTheTenantsAgentWithinASecondAndNoOtherTenantsAgent() throws Exception {
    Api a = new Api(TestTokens.newTenantAdmin());
    Api b = new Api(TestTokens.newTenantAdmin());
    TestAgent agentOfA = new TestAgent(a, "edge");
    TestAgent agentOfB = new TestAgent(b, "edge");

    String policy = a.create("/api/v1/policies", Api.policy("readonly"));
    ConfigSnapshot afterPolicy = agentOfA.next(1_000);
    assertThat(afterPolicy).as("a snapshot within a second of the policy change").isNotNull();
    // The policy is not used by any connection yet, so it is not sent.
    assertThat(afterPolicy.getPoliciesList()).isEmpty();

    a.create(
        "/api/v1/connections",
        Api.connection("orders", 6432, "policyId", policy, "database", "orders"));
    ConfigSnapshot pushed = agentOfA.next(1_000);
    assertThat(pushed).as("a snapshot within a second of the connection change").isNotNull();
    assertThat(pushed.getVersion()).isGreaterThan(afterPolicy.getVersion());
    assertThat(pushed.getConnectionsList()).hasSize(1);
    var c = pushed.getConnections(0);
    assertThat(c.getName()).isEqualTo("orders");
    assertThat(c.getKind()).isEqualTo("postgres");
    assertThat(c.getListenPort()).isEqualTo(6432);
    assertThat(c.getDatabase()).isEqualTo("orders");
    assertThat(c.getSecretRef()).isEqualTo("env:APP_DB_PASSWORD");
    assertThat(c.getPolicyId()).isEqualTo(policy);
    assertThat(c.getOfflineMode()).isEqualTo("fail-closed");
    assertThat(pushed.getPoliciesList()).hasSize(1);
    assertThat(pushed.getPolicies(0).getDocumentJson()).contains("\"schemaVersion\"");

    agentOfA.ack(pushed.getVersion());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        a.get("/api/v1/config")
                            .then()
                            .statusCode(200)
                            .extract()
                            .<Boolean>path("agents[0].current"))
                    .isTrue());

    assertThat(agentOfB.next(500)).as("nothing for another tenant's agent").isNull();
  }

  @Test
  void aConnectionLimitedToOneAgentIsSentOnlyToThatAgent() throws Exception {
    Api admin = new Api(TestTokens.newTenantAdmin());
    TestAgent east = new TestAgent(admin, "east");
    TestAgent west = new TestAgent(admin, "west");
    admin.create("/api/v1/connections", Api.connection("east-db", 7000, "agents", List.of("east")));

    ConfigSnapshot toEast = east.next(1_000);
    ConfigSnapshot toWest = west.next(1_000);
    assertThat(toEast.getConnectionsList()).extracting(c -> c.getName()).containsExactly("east-db");
    assertThat(toWest.getConnectionsList()).isEmpty();
    assertThat(toWest.getVersion()).isEqualTo(toEast.getVersion());
  }

  @Test
  void aChangeCommittedByAnotherReplicaReachesTheAgentsHeldHere() throws Exception {
    Api admin = new Api(TestTokens.newTenantAdmin());
    TestAgent agent = new TestAgent(admin, "edge");
    admin.create("/api/v1/connections", Api.connection("db", 7100));
    ConfigSnapshot before = agent.next(1_000);
    String tenant = before.getTenantId();

    // Another replica's transaction: only the database and its NOTIFY connect us to it.
    TestDatabase.queryOne(
        ConfigProvider.getConfig().getValue("ward.db.name", String.class),
        "UPDATE connections SET listen_port = 7101 WHERE tenant_id = ?::uuid RETURNING id",
        tenant);
    ConfigSnapshot after = agent.next(1_000);
    assertThat(after).as("a snapshot within a second of the other replica's change").isNotNull();
    assertThat(after.getVersion()).isEqualTo(before.getVersion() + 1);
    assertThat(after.getConnections(0).getListenPort()).isEqualTo(7101);
  }
}
