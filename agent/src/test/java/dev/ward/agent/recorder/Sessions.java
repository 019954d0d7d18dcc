package dev.ward.agent.recorder;

import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.agent.session.SessionRecorder;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;

/** Sessions as a listener would record them. */
final class Sessions {

  private Sessions() {}

  static SessionStart start(String tenant, String sessionId) {
    return SessionStart.newBuilder()
        .setSessionId(sessionId)
        .setTenantId(tenant)
        .setAgentId("agent-1")
        .setConnectionId("orders-db")
        .setProtocol("postgres")
        .setIdentity(Identity.newBuilder().setSubject("alice").setActor("claude-code"))
        .build();
  }

  static Event.Builder statement(int i) {
    return Event.newBuilder()
        .setStatement(
            Statement.newBuilder()
                .setText("SELECT id, total, status FROM orders WHERE customer_id = $1 LIMIT 50")
                .addParameters(String.valueOf(1000 + i))
                .setRowCount(i % 50)
                .setCommandTag("SELECT " + (i % 50))
                .setDurationNanos(120_000 + i)
                .setProtocolMode("extended")
                .setTransactionStatus("I"));
  }

  /** Opens a session, appends {@code statements} statements and, when {@code close}, closes it. */
  static RecordedSession record(
      SessionRecorder recorder, String tenant, String sessionId, int statements, boolean close)
      throws RecordingUnavailableException {
    RecordedSession session = recorder.open(start(tenant, sessionId), false);
    for (int i = 0; i < statements; i++) {
      session.append(statement(i));
    }
    if (close) {
      session.close(
          SessionEnd.newBuilder().setReason("normal").setStatementCount(statements).build());
    }
    return session;
  }
}
