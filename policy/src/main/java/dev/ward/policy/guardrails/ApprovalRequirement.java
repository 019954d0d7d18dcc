package dev.ward.policy.guardrails;

import java.time.Duration;
import java.util.List;

/**
 * Who must approve a held operation, how many of them, and how long the operation waits before it
 * is denied.
 *
 * @param id the approval route's id in the policy
 * @param approverGroups groups whose members may approve
 * @param minApprovals approvals needed
 * @param timeout how long the operation waits; it is denied after that
 */
public record ApprovalRequirement(
    String id, List<String> approverGroups, int minApprovals, Duration timeout) {

  public ApprovalRequirement {
    approverGroups = List.copyOf(approverGroups);
  }
}
