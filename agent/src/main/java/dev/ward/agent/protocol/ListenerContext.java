package dev.ward.agent.protocol;

import dev.ward.agent.identity.GrantVerifier;
import dev.ward.agent.session.SessionRecorder;
import dev.ward.agent.tls.AgentTls;
import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Everything a listener needs from the rest of the agent.
 *
 * @param vertx the agent's Vert.x instance; listeners run on its event loops
 * @param connection the connection to serve, from the config snapshot
 * @param grants verifies the grants clients present
 * @param recorder where each session's events go
 * @param tls the certificate shown to clients that ask for TLS; null offers no TLS
 * @param agentId this agent's id, for session records
 * @param tenantId the tenant the agent serves
 * @param configVersion the config snapshot version the connection comes from
 * @param policies opens the policy of each session (access, masking, guardrails)
 * @param limits time and size bounds for clients
 * @param controlPlaneReachable whether the agent's channel to the control plane is up now
 */
public record ListenerContext(
    Vertx vertx,
    Connection connection,
    GrantVerifier grants,
    SessionRecorder recorder,
    AgentTls tls,
    String agentId,
    String tenantId,
    long configVersion,
    SessionPolicies policies,
    ListenerLimits limits,
    BooleanSupplier controlPlaneReachable) {

  public ListenerContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(grants, "grants");
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(controlPlaneReachable, "controlPlaneReachable");
  }

  /** A context whose control plane is always reachable, for listeners tested on their own. */
  public ListenerContext(
      Vertx vertx,
      Connection connection,
      GrantVerifier grants,
      SessionRecorder recorder,
      AgentTls tls,
      String agentId,
      String tenantId,
      long configVersion,
      SessionPolicies policies,
      ListenerLimits limits) {
    this(
        vertx,
        connection,
        grants,
        recorder,
        tls,
        agentId,
        tenantId,
        configVersion,
        policies,
        limits,
        () -> true);
  }

  /**
   * Whether a new session may start now. While the control plane is reachable, always; while it is
   * not, the agent keeps enforcing its last config, and the connection's offline mode decides:
   * {@code fail-open} admits new sessions under that config, {@code fail-closed} (also the default
   * when the snapshot says nothing) refuses them. Sessions already open are never cut.
   */
  public boolean admitsNewSessions() {
    return controlPlaneReachable.getAsBoolean() || FAIL_OPEN.equals(connection.getOfflineMode());
  }

  /** The offline mode that admits new sessions while the control plane is unreachable. */
  public static final String FAIL_OPEN = "fail-open";

  /** The same context for a newer version of the connection. */
  public ListenerContext withConnection(Connection newer, long newerConfigVersion) {
    return new ListenerContext(
        vertx,
        newer,
        grants,
        recorder,
        tls,
        agentId,
        tenantId,
        newerConfigVersion,
        policies,
        limits,
        controlPlaneReachable);
  }
}
