package dev.ward.controlplane.agent.channel;

import dev.ward.controlplane.approval.service.ApprovalRequests;
import dev.ward.controlplane.session.service.SessionIndexer;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.HeartbeatAck;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One agent's open channel. The first message must be a Hello with a valid agent token; then the
 * agent receives its tenant's snapshot, acknowledges versions and sends heartbeats. Writes to the
 * agent are serialised because snapshots can be pushed from any thread.
 */
final class AgentStream implements StreamObserver<AgentMessage> {

  private static final Logger LOG = Logger.getLogger(AgentStream.class);
  private static final SecureRandom EPOCHS = new SecureRandom();

  private final StreamObserver<ControlMessage> out;
  private final AgentDirectory directory;
  private final ConfigSnapshots snapshots;
  private final AgentStreams streams;
  private final SessionIndexer sessions;
  private final ApprovalRequests approvals;
  private final long epoch = EPOCHS.nextLong();

  private volatile AgentDirectory.KnownAgent agent;
  private volatile boolean closed;

  /** The newest config version sent, so a slower, older read never overtakes a newer one. */
  private long sentVersion = -1;

  AgentStream(
      StreamObserver<ControlMessage> out,
      AgentDirectory directory,
      ConfigSnapshots snapshots,
      AgentStreams streams,
      SessionIndexer sessions,
      ApprovalRequests approvals) {
    this.out = out;
    this.approvals = approvals;
    this.directory = directory;
    this.snapshots = snapshots;
    this.streams = streams;
    this.sessions = sessions;
  }

  UUID agentId() {
    return agent == null ? null : agent.id();
  }

  UUID tenantId() {
    return agent == null ? null : agent.tenantId();
  }

  boolean authenticated() {
    return agent != null;
  }

  @Override
  public void onNext(AgentMessage message) {
    if (closed) {
      return;
    }
    if (agent == null) {
      if (!message.hasHello()) {
        fail(Status.UNAUTHENTICATED.withDescription("the first message must be a hello"));
        return;
      }
      hello(message.getHello());
      return;
    }
    switch (message.getKindCase()) {
      case ACK -> {
        if (!message.getAck().getError().isEmpty()) {
          // It keeps enforcing the version it acknowledged last; that is what the API shows.
          LOG.warnf(
              "Agent %s rejected config version %d: %s",
              agent.name(), message.getAck().getVersion(), message.getAck().getError());
        } else {
          run(directory.markAcked(agent.id(), message.getAck().getVersion()));
        }
      }
      case HEARTBEAT -> {
        run(directory.heartbeat(agent.id()));
        send(
            ControlMessage.newBuilder()
                .setHeartbeatAck(
                    HeartbeatAck.newBuilder().setUnixMillis(System.currentTimeMillis()))
                .build());
      }
      case SESSION -> {
        AgentDirectory.KnownAgent a = agent;
        sessions
            .record(a.tenantId(), a.id(), message.getSession())
            .subscribe()
            .with(
                ok -> {},
                e ->
                    LOG.warnf(
                        "Session notice from agent %s not indexed: %s", a.name(), e.getMessage()));
      }
      case APPROVAL_REQUEST -> {
        AgentDirectory.KnownAgent a = agent;
        approvals
            .request(a.tenantId(), a.id(), a.name(), message.getApprovalRequest())
            .subscribe()
            .with(
                decided ->
                    decided.ifPresent(
                        d -> send(ControlMessage.newBuilder().setApprovalDecision(d).build())),
                e ->
                    LOG.warnf(
                        "Approval request from agent %s not recorded: %s",
                        a.name(), e.getMessage()));
      }
      case APPROVAL_WITHDRAWN -> {
        AgentDirectory.KnownAgent a = agent;
        approvals
            .withdrawn(a.tenantId(), a.name(), message.getApprovalWithdrawn())
            .subscribe()
            .with(
                ok -> {},
                e ->
                    LOG.warnf(
                        "Approval withdrawal from agent %s not recorded: %s",
                        a.name(), e.getMessage()));
      }
      case HELLO -> LOG.debugf("Ignoring a repeated hello from agent %s", agent.name());
      default ->
          LOG.debugf("Ignoring message kind %s from agent %s", message.getKindCase(), agent.name());
    }
  }

  private void hello(Hello hello) {
    directory
        .authenticate(hello.getToken())
        .subscribe()
        .with(
            found -> {
              if (found.isEmpty()) {
                LOG.infof("Refused an agent with an unknown or revoked token");
                fail(
                    Status.UNAUTHENTICATED.withDescription(
                        "agent token is unknown or revoked; register the agent again to get a"
                            + " new token"));
                return;
              }
              agent = found.get();
              streams.attach(this);
              directory
                  .markConnected(
                      agent.id(),
                      epoch,
                      hello.getVersion(),
                      hello.getHostname(),
                      hello.getRecordingPublicKey())
                  .subscribe()
                  .with(
                      ok -> {
                        LOG.infof(
                            "Agent %s (%s) connected, version %s, enforcing config %d",
                            agent.name(), agent.id(), hello.getVersion(), hello.getConfigVersion());
                        sendSnapshot();
                      },
                      this::internalError);
            },
            this::internalError);
  }

  /** Reads the tenant's current configuration and sends this agent its snapshot. */
  void sendSnapshot() {
    if (agent == null || closed) {
      return;
    }
    snapshots.load(agent.tenantId()).subscribe().with(this::push, this::internalError);
  }

  /** Sends this agent its part of the tenant's configuration, unless it has a newer one already. */
  void push(TenantConfig config) {
    AgentDirectory.KnownAgent a = agent;
    if (a == null || !config.tenantId().equals(a.tenantId().toString())) {
      return;
    }
    synchronized (this) {
      if (config.version() <= sentVersion) {
        return;
      }
      sentVersion = config.version();
      send(
          ControlMessage.newBuilder()
              .setSnapshot(config.snapshotFor(a.id().toString(), a.name()))
              .build());
    }
  }

  /** Sends a message the control plane decided elsewhere (an approval decision). */
  void deliver(ControlMessage message) {
    send(message);
  }

  private synchronized void send(ControlMessage message) {
    if (closed) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      LOG.debugf("Could not write to agent stream: %s", e.getMessage());
    }
  }

  /** Closes the stream with UNAUTHENTICATED or UNAVAILABLE as the reason says. */
  void close(String reason) {
    fail(Status.UNAVAILABLE.withDescription(reason));
  }

  synchronized void fail(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException ignored) {
      // the transport is gone already
    }
    ended();
  }

  private void internalError(Throwable t) {
    LOG.errorf(t, "Agent channel failed");
    fail(Status.INTERNAL.withDescription("the control plane could not serve this agent; retry"));
  }

  @Override
  public void onError(Throwable t) {
    closed = true;
    ended();
  }

  @Override
  public synchronized void onCompleted() {
    if (!closed) {
      closed = true;
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // the transport is gone already
      }
    }
    ended();
  }

  private void ended() {
    AgentDirectory.KnownAgent a = agent;
    if (a != null) {
      streams.detach(this);
      run(directory.markDisconnected(a.id(), epoch));
      LOG.infof("Agent %s (%s) disconnected", a.name(), a.id());
    }
  }

  private static void run(Uni<Void> work) {
    work.subscribe()
        .with(ok -> {}, e -> LOG.warnf("Agent status update failed: %s", e.getMessage()));
  }
}
