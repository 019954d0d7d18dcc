package dev.ward.agent.recorder;

import dev.ward.agent.session.RecordedSession;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;

/**
 * A best-effort session whose recording could not be spooled: it runs unrecorded, still numbering
 * events so listeners behave the same. The recorder logged why when it was opened.
 */
final class UnspooledSession implements RecordedSession {

  private final String sessionId;
  private long nextSeq = 2;

  UnspooledSession(String sessionId) {
    this.sessionId = sessionId;
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public synchronized long append(Event.Builder event) {
    return nextSeq++;
  }

  @Override
  public void close(SessionEnd end) {}
}
