package dev.ward.agent.protocol;

import dev.ward.proto.recording.v1.ApprovalEvent;
import dev.ward.proto.recording.v1.Event;

/** The recording's events for the steps of a hold. */
public final class ApprovalEvents {

  private ApprovalEvents() {}

  /**
   * @param state requested, or the recorded name of how the hold ended
   * @param outcome how it ended, or {@code null} for the request
   */
  public static Event.Builder of(ApprovalHold hold, String state, HoldOutcome outcome) {
    ApprovalEvent.Builder event =
        ApprovalEvent.newBuilder()
            .setRequestId(hold.requestId())
            .setState(state)
            .setOperationHash(hold.operationHash());
    if (outcome != null) {
      event
          .setDecidedBy(outcome.decidedBy())
          .setReason(outcome.reason())
          .setTimeBoxUntilUnixMillis(outcome.timeBoxUntilMillis());
    }
    return Event.newBuilder().setApproval(event);
  }
}
