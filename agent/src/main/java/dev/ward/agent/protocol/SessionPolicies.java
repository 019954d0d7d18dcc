package dev.ward.agent.protocol;

import dev.ward.proto.recording.v1.SessionStart;

/**
 * Opens the policy of each session: where the policy engine learns who is behind a session and
 * hands back what the listener must enforce on it.
 */
public interface SessionPolicies {

  /**
   * The policy for a session that is about to start. Called once per session, after the grant was
   * verified and before the listener connects upstream; see {@link SessionPolicy#refusal}.
   *
   * @param start the session's identity, connection and client, as recorded
   */
  SessionPolicy open(SessionStart start);

  /** Policies that allow everything and rewrite nothing. */
  static SessionPolicies passThrough() {
    return start -> SessionPolicy.PASS_THROUGH;
  }
}
