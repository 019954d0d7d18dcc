package dev.ward.agent.channel;

import dev.ward.agent.config.AgentSettings;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ConfigAck;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Heartbeat;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of the agent channel: dials out to the control plane, says hello with the agent
 * token, applies and acknowledges each config version, sends heartbeats, and reconnects with
 * exponential backoff and jitter whenever the stream ends. A refused token backs off much longer,
 * so a revoked agent does not hammer the control plane. With several control-plane URLs (replicas
 * without a load balancer in front), each retry after an unreachable one goes to the next URL.
 */
public final class ControlPlaneChannel implements AutoCloseable {

  /** What the channel hands to the rest of the agent. */
  public interface Receiver {
    /**
     * Applies a new config snapshot. The returned stage fails, with a message for the control
     * plane, when the snapshot cannot be applied; the agent then keeps the old one.
     */
    CompletionStage<Void> apply(ConfigSnapshot snapshot);

    /** Any other downstream message (approval decisions, revocations). */
    default void onControlMessage(ControlMessage message) {}
  }

  private static final Logger LOG = System.getLogger(ControlPlaneChannel.class.getName());
  private static final long HEARTBEAT_MS = 10_000;
  private static final long SILENCE_LIMIT_MS = 35_000;

  private final Vertx vertx;
  private final Receiver receiver;
  private final Hello.Builder hello;
  private final List<URI> targets;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), ThreadLocalRandom.current());
  private final Backoff refusedBackoff =
      new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), ThreadLocalRandom.current());

  private volatile long enforcedVersion;
  private volatile boolean connected;
  private volatile boolean stopped;
  private volatile long lastHeard;
  private ClientCallStreamObserver<AgentMessage> requests;
  private long heartbeatTimer = -1;
  private volatile int current;

  public ControlPlaneChannel(
      AgentSettings settings,
      Vertx vertx,
      Receiver receiver,
      Hello.Builder hello,
      long enforcedVersion)
      throws java.io.IOException {
    this.vertx = vertx;
    this.receiver = receiver;
    this.hello = hello.clone().setToken(settings.token());
    this.enforcedVersion = enforcedVersion;
    this.targets = settings.controlPlanes();
    for (URI target : targets) {
      channels.add(channelTo(target, settings.controlPlaneCaFile()));
    }
  }

  /** A gRPC channel to one control plane; it dials only once a stream is opened on it. */
  private static ManagedChannel channelTo(URI target, Path caFile) throws java.io.IOException {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(AgentSettings.grpcTarget(target))
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(true);
    if (AgentSettings.usesTls(target)) {
      var ssl = GrpcSslContexts.forClient();
      if (caFile != null) {
        ssl.trustManager(caFile.toFile());
      }
      builder.sslContext(ssl.build());
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  /** Opens the stream; failures are retried in the background until {@link #close()}. */
  public void start() {
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
    connect();
  }

  /** Whether the stream is open and the control plane accepted the agent. */
  public boolean connected() {
    return connected;
  }

  /** The config version the agent enforces now. */
  public long enforcedVersion() {
    return enforcedVersion;
  }

  /** Sends a message upstream if the channel is open; returns whether it was sent. */
  public synchronized boolean send(AgentMessage message) {
    if (requests == null || !connected) {
      return false;
    }
    try {
      requests.onNext(message);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private synchronized void connect() {
    if (stopped) {
      return;
    }
    lastHeard = System.currentTimeMillis();
    AgentChannelGrpc.newStub(channels.get(current)).connect(new Responses());
    // requests is set by Responses.beforeStart, which runs inside connect().
    requests.onNext(
        AgentMessage.newBuilder()
            .setHello(hello.clone().setConfigVersion(enforcedVersion))
            .build());
  }

  private void heartbeat() {
    if (!connected) {
      return;
    }
    if (System.currentTimeMillis() - lastHeard > SILENCE_LIMIT_MS) {
      LOG.log(
          Level.WARNING,
          "No word from the control plane for {0} s; reconnecting",
          SILENCE_LIMIT_MS / 1000);
      synchronized (this) {
        if (requests != null) {
          requests.cancel("control plane silent", null);
        }
      }
      return;
    }
    send(
        AgentMessage.newBuilder()
            .setHeartbeat(Heartbeat.newBuilder().setUnixMillis(System.currentTimeMillis()))
            .build());
  }

  private void onSnapshot(ConfigSnapshot snapshot) {
    receiver
        .apply(snapshot)
        .whenComplete(
            (ok, error) -> {
              ConfigAck.Builder ack = ConfigAck.newBuilder().setVersion(snapshot.getVersion());
              if (error == null) {
                enforcedVersion = snapshot.getVersion();
                LOG.log(Level.INFO, "Enforcing config version {0}", snapshot.getVersion());
              } else {
                String reason = error.getMessage() == null ? error.toString() : error.getMessage();
                ack.setError(reason);
                LOG.log(
                    Level.WARNING,
                    "Rejected config version {0}: {1}",
                    snapshot.getVersion(),
                    reason);
              }
              send(AgentMessage.newBuilder().setAck(ack).build());
            });
  }

  private void ended(Status status) {
    synchronized (this) {
      connected = false;
      requests = null;
    }
    if (stopped) {
      return;
    }
    Duration delay;
    if (status.getCode() == Status.Code.UNAUTHENTICATED
        || status.getCode() == Status.Code.PERMISSION_DENIED) {
      delay = refusedBackoff.next();
      LOG.log(
          Level.ERROR,
          "The control plane refused this agent ({0}). Check the agent token; retrying in {1} s",
          describe(status),
          seconds(delay));
    } else {
      delay = backoff.next();
      refusedBackoff.reset();
      URI failed = targets.get(current);
      current = (current + 1) % targets.size();
      LOG.log(
          Level.WARNING,
          "Control plane {0} unreachable or stream ended ({1}: {2}); retrying {3}in {4} s",
          failed,
          status.getCode(),
          describe(status),
          targets.size() > 1 ? "at " + targets.get(current) + " " : "",
          seconds(delay));
    }
    vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
  }

  /** The status description on one bounded line: peers may send anything there. */
  static String describe(Status status) {
    String d = status.getDescription();
    if (d == null || d.isBlank()) {
      return status.getCause() == null
          ? "no detail"
          : String.valueOf(status.getCause().getMessage());
    }
    int nl = d.indexOf('\n');
    d = nl >= 0 ? d.substring(0, nl) : d;
    return d.length() > 200 ? d.substring(0, 200) + "…" : d;
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    stopped = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    synchronized (this) {
      if (requests != null) {
        try {
          requests.onCompleted();
        } catch (RuntimeException ignored) {
          // closing anyway
        }
      }
    }
    channels.forEach(ManagedChannel::shutdown);
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private final class Responses implements ClientResponseObserver<AgentMessage, ControlMessage> {

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> stream) {
      requests = stream;
    }

    @Override
    public void onNext(ControlMessage message) {
      lastHeard = System.currentTimeMillis();
      if (!connected) {
        connected = true;
        backoff.reset();
        refusedBackoff.reset();
        LOG.log(Level.INFO, "Connected to the control plane at {0}", targets.get(current));
      }
      switch (message.getKindCase()) {
        case SNAPSHOT -> onSnapshot(message.getSnapshot());
        case HEARTBEAT_ACK -> {}
        default -> receiver.onControlMessage(message);
      }
    }

    @Override
    public void onError(Throwable t) {
      ended(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended(Status.UNAVAILABLE.withDescription("the control plane closed the stream"));
    }
  }
}
