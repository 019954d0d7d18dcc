package dev.ward.agent.protocol;

/**
 * How a hold ended.
 *
 * @param state what happened
 * @param decidedBy who decided (approvers, comma-separated), empty when nobody did
 * @param reason the denier's reason, or why the hold ended otherwise
 * @param timeBoxUntilMillis end of the time box an approver granted (or that covered the
 *     operation), 0 when none
 */
public record HoldOutcome(State state, String decidedBy, String reason, long timeBoxUntilMillis) {

  /** The end states; their names in lower case (with '-') are the recording's approval states. */
  public enum State {
    APPROVED("approved"),
    DENIED("denied"),
    EXPIRED("expired"),
    WITHDRAWN("withdrawn"),
    TIME_BOX_USED("time-box-used");

    private final String recorded;

    State(String recorded) {
      this.recorded = recorded;
    }

    /** The state as the recording's ApprovalEvent names it. */
    public String recorded() {
      return recorded;
    }
  }

  /** Whether the operation may run now. */
  public boolean approved() {
    return state == State.APPROVED || state == State.TIME_BOX_USED;
  }
}
