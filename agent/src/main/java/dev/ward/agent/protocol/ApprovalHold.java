package dev.ward.agent.protocol;

import java.util.concurrent.CompletionStage;

/**
 * An operation that policy holds until approvers decide. The listener keeps the operation (and
 * everything the client sends after it) waiting, shows the client {@link #requestId} and {@link
 * #link}, and when {@link #outcome} completes either forwards it or refuses it. Nothing blocks: the
 * outcome is a stage that completes on whatever thread the decision arrives on.
 */
public interface ApprovalHold {

  /** The approval request's id, shown to the client and approvers; empty for a time box. */
  String requestId();

  /** SHA-256 (hex) of the normalised operation and its parameters: what an approval covers. */
  String operationHash();

  /** Where approvers decide, for the client's notice; empty when unknown. */
  String link();

  /** Completes once when approved, denied, expired, withdrawn or covered by a time box. */
  CompletionStage<HoldOutcome> outcome();

  /** The client gave up (cancel or disconnect): tell the approvers and complete as withdrawn. */
  void withdraw(String reason);
}
