package dev.ward.agent.identity;

/**
 * A grant that does not open the connection. The message is written for the person at the client:
 * what is wrong with the grant and how to get a new one. It never repeats the token or says which
 * secret or key was expected.
 */
public final class GrantRejectedException extends Exception {

  /** Why a grant was refused, for logs and metrics. */
  public enum Reason {
    MALFORMED,
    OVERSIZED,
    UNSUPPORTED_ALGORITHM,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    WRONG_AUDIENCE,
    OTHER_TENANT,
    EXPIRED,
    NOT_YET_VALID,
    REVOKED
  }

  private final Reason reason;

  public GrantRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
