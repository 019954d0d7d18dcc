package dev.ward.policy.access;

/**
 * Whether a user may use a connection, and how: read-only sessions run in a READ ONLY transaction
 * and have every write-class statement refused.
 *
 * @param allowed whether the connection may be used
 * @param readOnly whether only reads are allowed (meaningful when allowed)
 * @param ruleId the access rule that granted it, or {@code null} when refused
 * @param reason a sentence for the user
 */
public record AccessDecision(boolean allowed, boolean readOnly, String ruleId, String reason) {

  /** Refused, with a reason. */
  public static AccessDecision refuse(String reason) {
    return new AccessDecision(false, true, null, reason);
  }
}
