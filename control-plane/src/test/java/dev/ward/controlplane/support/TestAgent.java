package dev.ward.controlplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A registered agent with its channel stream open, as a test drives it. */
public final class TestAgent implements AutoCloseable {

  public final UUID id;
  private final ManagedChannel channel;
  private final StreamObserver<AgentMessage> out;
  private final LinkedBlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();

  public TestAgent(String adminToken, int grpcPort) throws InterruptedException {
    var registered =
        new Api(adminToken)
            .post(
                "/api/v1/agents",
                Map.of("name", "edge-" + UUID.randomUUID().toString().substring(0, 6)))
            .then()
            .statusCode(201)
            .extract();
    id = UUID.fromString(registered.path("agent.id"));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
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
    out.onNext(
        AgentMessage.newBuilder()
            .setHello(Hello.newBuilder().setToken(registered.path("token")).setVersion("t"))
            .build());
    ControlMessage first = received.poll(20, TimeUnit.SECONDS);
    assertThat(first).as("a snapshot for the agent").isNotNull();
  }

  public void send(AgentMessage m) {
    out.onNext(m);
  }

  /** The next approval decision the control plane sends, within ten seconds. */
  public ApprovalDecision nextDecision() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      ControlMessage m = received.poll(100, TimeUnit.MILLISECONDS);
      if (m != null && m.hasApprovalDecision()) {
        return m.getApprovalDecision();
      }
    }
    throw new AssertionError("no approval decision reached the agent within 10 s");
  }

  @Override
  public void close() throws InterruptedException {
    out.onCompleted();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
