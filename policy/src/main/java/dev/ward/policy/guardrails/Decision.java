package dev.ward.policy.guardrails;

import java.util.Objects;

/**
 * A guardrail's decision on one operation: allow, deny (naming the rule and a reason the user can
 * act on) or hold for approval (with the approval it needs).
 *
 * @param verdict allow, hold or deny
 * @param ruleId the rule that decided, or {@code null} when no rule matched
 * @param reason a sentence for the user, or {@code null} when allowed by default
 * @param approval what a hold waits for; non-null exactly when the verdict is {@link Verdict#HOLD}
 */
public record Decision(
    Verdict verdict, String ruleId, String reason, ApprovalRequirement approval) {
  private static final Decision ALLOWED = new Decision(Verdict.ALLOW, null, null, null);

  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    if ((verdict == Verdict.HOLD) != (approval != null)) {
      throw new IllegalArgumentException("a hold, and only a hold, carries an approval");
    }
  }

  /** Allowed because no rule objected. */
  public static Decision allow() {
    return ALLOWED;
  }

  /** Allowed explicitly by a rule. */
  public static Decision allow(String ruleId, String reason) {
    return new Decision(Verdict.ALLOW, ruleId, reason, null);
  }

  /** Denied by a rule. */
  public static Decision deny(String ruleId, String reason) {
    return new Decision(Verdict.DENY, ruleId, reason, null);
  }

  /** Held by a rule until approved. */
  public static Decision hold(String ruleId, String reason, ApprovalRequirement approval) {
    return new Decision(Verdict.HOLD, ruleId, reason, approval);
  }

  /** Whether the operation may proceed now. */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }

  /** The stricter of this decision and {@code other} (the first on a tie). */
  public Decision stricter(Decision other) {
    return other.verdict.stricterThan(verdict) ? other : this;
  }
}
