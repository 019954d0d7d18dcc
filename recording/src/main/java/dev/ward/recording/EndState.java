package dev.ward.recording;

/** How a recording was closed, as its manifest states. */
public enum EndState {
  /** The session ended and the agent closed its recording. */
  CLOSED(1),
  /**
   * The agent stopped while the session was open; on restart it sealed every event that had reached
   * its spool and closed the recording.
   */
  RECOVERED(2);

  private final int code;

  EndState(int code) {
    this.code = code;
  }

  /** The byte that stands for this state in a manifest. */
  public int code() {
    return code;
  }

  static EndState ofCode(int code) throws MalformedRecordingException {
    for (EndState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new MalformedRecordingException("unknown manifest end state " + code);
  }
}
