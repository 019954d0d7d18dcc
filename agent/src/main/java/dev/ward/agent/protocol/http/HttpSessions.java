package dev.ward.agent.protocol.http;

import dev.ward.agent.identity.Grant;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.postgres.UpstreamSecret;
import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionStart;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions of one HTTP-carried listener, one per grant: the first exchange of a grant
 * opens its session (policy, recording, upstream credential), later ones join it, and a session
 * idle for longer than the connection allows is ended so its recording is sealed.
 */
final class HttpSessions {

  private static final Logger LOG = System.getLogger(HttpSessions.class.getName());

  /** The session could not open; the problem says why, for the client. */
  static final class Refused extends RuntimeException {
    final Problem problem;

    Refused(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }
  }

  private final Map<String, Future<HttpSession>> open = new ConcurrentHashMap<>();
  private final String protocol;

  HttpSessions(String protocol) {
    this.protocol = protocol;
  }

  /** The session of a grant, opened on its first exchange. */
  Future<HttpSession> sessionFor(
      ListenerContext context, UpstreamEndpoint endpoint, Grant grant, HttpServerRequest request) {
    String key = grant.grantId() + "\u0000" + grant.workSessionId() + "\u0000" + grant.subject();
    Future<HttpSession> session =
        open.compute(
            key,
            (k, current) ->
                current != null && !(current.succeeded() && current.result().closed())
                    ? current
                    : openSession(context, endpoint, grant, request));
    session.onFailure(e -> open.remove(key, session));
    return session;
  }

  private Future<HttpSession> openSession(
      ListenerContext context, UpstreamEndpoint endpoint, Grant grant, HttpServerRequest request) {
    Connection connection = context.connection();
    if (!context.admitsNewSessions()) {
      LOG.log(
          Level.WARNING,
          "Connection {0}: new session of {1} refused, the control plane is unreachable and the"
              + " connection is fail-closed",
          connection.getName(),
          grant.subject());
      return Future.failedFuture(
          new Refused(
              new Problem(
                  503,
                  "control-plane-unreachable",
                  "Control plane unreachable",
                  "Connection "
                      + connection.getName()
                      + " admits no new sessions while the Ward agent cannot reach the Ward"
                      + " control plane (offline mode fail-closed). Try again in a moment;"
                      + " sessions already open continue.")));
    }
    String userAgent = Optional.ofNullable(request.getHeader("User-Agent")).orElse("");
    SessionStart start =
        SessionStart.newBuilder()
            .setSessionId(UUID.randomUUID().toString())
            .setTenantId(context.tenantId() == null ? "" : context.tenantId())
            .setAgentId(context.agentId() == null ? "" : context.agentId())
            .setConnectionId(connection.getId())
            .setConnectionName(connection.getName())
            .setProtocol(protocol)
            .setIdentity(
                Identity.newBuilder()
                    .setSubject(grant.subject())
                    .setEmail(grant.email())
                    .addAllGroups(grant.groups())
                    .setActor(grant.actor())
                    .setOwner(grant.owner())
                    .setGrantId(grant.grantId())
                    .setWorkSessionId(grant.workSessionId()))
            .setPolicyId(connection.getPolicyId())
            .setConfigVersion(context.configVersion())
            .setClientAddress(String.valueOf(request.remoteAddress()))
            .setClientApplication(
                userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent)
            .setTarget(endpoint.url())
            .build();
    SessionPolicy policy = context.policies().open(start);
    Optional<String> refusal = policy.refusal();
    if (refusal.isPresent()) {
      return Future.failedFuture(
          new Refused(
              new Problem(
                  403,
                  "access-refused",
                  "No access to this connection",
                  "Ward refused "
                      + grant.subject()
                      + " access to "
                      + connection.getName()
                      + ": "
                      + refusal.get()
                      + ". Ask an administrator of the connection's policy for access.",
                  "access")));
    }
    boolean strict = "strict".equals(connection.getRecordingMode());
    return context
        .vertx()
        .executeBlocking(
            () -> {
              UpstreamCredential credential = credential(connection);
              RecordedSession recording;
              try {
                recording = context.recorder().open(start, strict);
              } catch (RecordingUnavailableException e) {
                throw new Refused(
                    new Problem(
                        503,
                        "recording-unavailable",
                        "Recording unavailable",
                        "This connection records every session and its recording cannot be"
                            + " written right now. Try again later."));
              }
              return new HttpSession(start, recording, policy, credential);
            },
            false);
  }

  private static UpstreamCredential credential(Connection connection) {
    if (connection.getSecretRef().isEmpty()) {
      return UpstreamCredential.NONE;
    }
    try {
      String secret = UpstreamSecret.resolve(connection.getSecretRef(), System.getenv());
      return UpstreamCredential.of(
          connection.getCredentialStyle(), connection.getUsername(), secret);
    } catch (java.io.IOException e) {
      LOG.log(
          Level.ERROR,
          "Connection {0}: upstream secret unavailable: {1}",
          connection.getName(),
          e.getMessage());
      throw new Refused(
          new Problem(
              502,
              "upstream-credential-unavailable",
              "Upstream credential unavailable",
              "Ward cannot read this connection's upstream credential; its operators have been"
                  + " told in the agent log."));
    }
  }

  /** Ends sessions idle for at least {@code idleNanos}. */
  void reap(long idleNanos) {
    open.forEach(
        (key, future) -> {
          if (future.succeeded() && future.result().closeIfIdle(idleNanos)) {
            open.remove(key, future);
          }
        });
  }

  /** Ends every session, e.g. when the listener stops. */
  void closeAll(String reason) {
    open.forEach(
        (key, future) -> {
          open.remove(key, future);
          future.onSuccess(s -> s.close(reason));
        });
  }

  int size() {
    return open.size();
  }
}
