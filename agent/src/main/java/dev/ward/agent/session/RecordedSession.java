package dev.ward.agent.session;

import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;

/**
 * One session's recording while it is open. Implementations assign the sequence number and
 * timestamp of each event, so callers pass builders without either. Calls come from the session's
 * event loop and must not block it.
 */
public interface RecordedSession {

  /** The session id, also the key prefix of the recording in object storage. */
  String sessionId();

  /**
   * Appends one event (statement, exchange, masking manifest, guardrail or approval event). Returns
   * the sequence number it was given, so a masking manifest can point at the event it describes.
   */
  long append(Event.Builder event);

  /** Writes the end event and seals the recording. Further appends are ignored. */
  void close(SessionEnd end);
}
