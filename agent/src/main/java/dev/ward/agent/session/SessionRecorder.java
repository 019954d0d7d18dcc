package dev.ward.agent.session;

import dev.ward.proto.recording.v1.SessionStart;

/**
 * Where protocol listeners hand the sessions they serve. Every protocol opens one {@link
 * RecordedSession} per client session and appends its typed events to it; the recorder owns
 * framing, signing, spooling and upload.
 */
public interface SessionRecorder {

  /**
   * Opens the recording of a new session and writes its start event.
   *
   * @param start who, where and under which policy the session runs
   * @param strict when true the session must not start unless its recording can be durably spooled
   * @throws RecordingUnavailableException when {@code strict} is set and the spool cannot be
   *     written; the listener refuses the session and tells the client why
   */
  RecordedSession open(SessionStart start, boolean strict) throws RecordingUnavailableException;
}
