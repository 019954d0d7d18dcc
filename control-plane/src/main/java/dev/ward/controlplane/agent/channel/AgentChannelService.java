package dev.ward.controlplane.agent.channel;

import dev.ward.controlplane.approval.service.ApprovalRequests;
import dev.ward.controlplane.session.service.SessionIndexer;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ControlMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Vertx;

/**
 * The gRPC side of the agent channel: agents dial out to it and keep one stream open. An agent that
 * does not say hello with a valid token within ten seconds is disconnected.
 */
@GrpcService
public class AgentChannelService extends AgentChannelGrpc.AgentChannelImplBase {

  private static final long HELLO_TIMEOUT_MS = 10_000;

  private final AgentDirectory directory;
  private final ConfigSnapshots snapshots;
  private final AgentStreams streams;
  private final SessionIndexer sessions;
  private final Vertx vertx;
  private final ApprovalRequests approvals;

  public AgentChannelService(
      AgentDirectory directory,
      ConfigSnapshots snapshots,
      AgentStreams streams,
      SessionIndexer sessions,
      Vertx vertx,
      ApprovalRequests approvals) {
    this.approvals = approvals;
    this.directory = directory;
    this.snapshots = snapshots;
    this.streams = streams;
    this.sessions = sessions;
    this.vertx = vertx;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
    AgentStream stream =
        new AgentStream(responses, directory, snapshots, streams, sessions, approvals);
    vertx.setTimer(
        HELLO_TIMEOUT_MS,
        id -> {
          if (!stream.authenticated()) {
            stream.fail(Status.UNAUTHENTICATED.withDescription("no hello within 10 seconds"));
          }
        });
    return stream;
  }
}
