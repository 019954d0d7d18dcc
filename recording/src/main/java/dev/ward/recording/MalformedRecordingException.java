package dev.ward.recording;

/** Bytes that are not a well-formed segment or manifest of this format. */
public final class MalformedRecordingException extends Exception {

  public MalformedRecordingException(String message) {
    super(message);
  }

  public MalformedRecordingException(String message, Throwable cause) {
    super(message, cause);
  }
}
