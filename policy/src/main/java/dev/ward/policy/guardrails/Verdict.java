package dev.ward.policy.guardrails;

/** What a guardrail decides about an operation. */
public enum Verdict {
  /** The operation proceeds. */
  ALLOW,
  /** The operation is held until enough approvers allow it (or it times out and is denied). */
  HOLD,
  /** The operation is refused. */
  DENY;

  /** Order of strictness: deny over hold over allow. */
  public boolean stricterThan(Verdict other) {
    return ordinal() > other.ordinal();
  }
}
