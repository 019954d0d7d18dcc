package dev.ward.agent.protocol;

import dev.ward.policy.guardrails.ApprovalRequirement;

/**
 * What policy decided on an operation.
 *
 * @param action allow, deny, or hold for approval
 * @param rule the rule that decided, shown to the client and recorded; empty for allow
 * @param reason why, in words for the client
 * @param approval for a hold: the approval route (approver groups, timeout) policy named, or {@code
 *     null} when the deciding policy did not say
 */
public record Verdict(Action action, String rule, String reason, ApprovalRequirement approval) {

  public Verdict(Action action, String rule, String reason) {
    this(action, rule, reason, null);
  }

  /** The decision itself. */
  public enum Action {
    ALLOW,
    DENY,
    /** Wait for a human approval through {@link SessionPolicy#hold}. */
    HOLD
  }

  private static final Verdict ALLOW = new Verdict(Action.ALLOW, "", "");

  public static Verdict allow() {
    return ALLOW;
  }

  public static Verdict deny(String rule, String reason) {
    return new Verdict(Action.DENY, rule, reason);
  }

  public static Verdict hold(String rule, String reason) {
    return new Verdict(Action.HOLD, rule, reason);
  }

  /** A hold on the given approval route. */
  public static Verdict hold(String rule, String reason, ApprovalRequirement approval) {
    return new Verdict(Action.HOLD, rule, reason, approval);
  }

  public boolean allowed() {
    return action == Action.ALLOW;
  }
}
