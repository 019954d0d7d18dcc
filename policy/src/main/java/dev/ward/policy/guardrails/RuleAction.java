package dev.ward.policy.guardrails;

/**
 * What a guardrail rule does when it matches: its id, its verdict, the reason shown to the user,
 * and for holds the approval it needs.
 */
public record RuleAction(
    String ruleId, Verdict verdict, String reason, ApprovalRequirement approval) {

  /** The decision this action gives. */
  public Decision decision() {
    return switch (verdict) {
      case ALLOW -> Decision.allow(ruleId, reason);
      case DENY -> Decision.deny(ruleId, reason);
      case HOLD -> Decision.hold(ruleId, reason, approval);
    };
  }
}
