package dev.ward.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.config.AgentSettings;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.HeartbeatAck;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel against a real gRPC server: with several URLs, an unreachable one is skipped. */
class ControlPlaneChannelTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> hellos = new CopyOnWriteArrayList<>();
  private Server server;
  private ControlPlaneChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** A control plane that accepts any hello and answers heartbeats. */
  private int startControlPlane() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new AgentChannelGrpc.AgentChannelImplBase() {
                  @Override
                  public StreamObserver<AgentMessage> connect(
                      StreamObserver<ControlMessage> responses) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(AgentMessage m) {
                        if (m.hasHello()) {
                          hellos.add(m.getHello().getToken());
                          responses.onNext(
                              ControlMessage.newBuilder()
                                  .setHeartbeatAck(HeartbeatAck.newBuilder().setUnixMillis(1))
                                  .build());
                        }
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
    return server.getPort();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableFirstUrlIsSkippedAndTheAgentConnectsToTheNext() throws Exception {
    int dead = closedPort();
    int live = startControlPlane();
    AgentSettings settings =
        AgentSettings.load(
            null,
            Map.of(
                "WARD_AGENT_TOKEN",
                "wat_test",
                "WARD_AGENT_DATA_DIR",
                dir.toString(),
                "WARD_AGENT_CONTROL_PLANE",
                "http://127.0.0.1:" + dead + ",http://127.0.0.1:" + live));
    channel =
        new ControlPlaneChannel(
            settings,
            vertx,
            new ControlPlaneChannel.Receiver() {
              @Override
              public CompletionStage<Void> apply(ConfigSnapshot snapshot) {
                return CompletableFuture.completedFuture(null);
              }
            },
            Hello.newBuilder(),
            0);
    channel.start();
    // the first retry waits at most 0.5 s; allow a loaded machine plenty more
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!channel.connected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(channel.connected()).isTrue();
    assertThat(hellos).containsExactly("wat_test");
  }
}
