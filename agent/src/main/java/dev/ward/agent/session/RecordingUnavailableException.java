package dev.ward.agent.session;

/** The recording of a strict session could not be durably spooled, so it must not start. */
public final class RecordingUnavailableException extends Exception {

  public RecordingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
