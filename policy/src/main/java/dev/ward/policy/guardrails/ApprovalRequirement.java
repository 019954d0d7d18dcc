package dev.ward.policy.guardrails;

import java.time.Duration;
import java.util.List;

/**
 * Who must approve a held operation, how many of them, and how long the operation waits before it
 * is denied.
 *
 * @param id the approval route's id in the policy
 * @param approverGroups groups whose members may approve
 * @param minApprovals approvals needed, each from a different approver
 * @param timeout how long the operation waits; it is denied after that
 * @param selfApproval whether the engineer behind the operation may approve it; false by default
 * @param maxTimeBox the longest time box an approver may grant instead of a single approval; zero
 *     when time boxes are not allowed
 */
public record ApprovalRequirement(
    String id,
    List<String> approverGroups,
    int minApprovals,
    Duration timeout,
    boolean selfApproval,
    Duration maxTimeBox) {

  public ApprovalRequirement {
    approverGroups = List.copyOf(approverGroups);
  }

  /** A route without self-approval and without time boxes. */
  public ApprovalRequirement(
      String id, List<String> approverGroups, int minApprovals, Duration timeout) {
    this(id, approverGroups, minApprovals, timeout, false, Duration.ZERO);
  }
}
