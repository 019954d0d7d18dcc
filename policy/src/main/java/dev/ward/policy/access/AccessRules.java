package dev.ward.policy.access;

import java.util.List;
import java.util.Set;

/**
 * The access rules of a policy. Nothing is granted unless a rule grants it; when several rules
 * apply, read-write wins over read-only.
 */
public final class AccessRules {
  private final List<AccessRule> rules;

  public AccessRules(List<AccessRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Decides whether a user in {@code groups} may use a connection.
   *
   * @param groups the user's groups, from their token
   * @param connectionId the connection's id
   * @param connectionName the connection's name, or {@code null}
   */
  public AccessDecision decide(Set<String> groups, String connectionId, String connectionName) {
    AccessRule readOnlyGrant = null;
    for (AccessRule rule : rules) {
      if (!rule.appliesTo(groups, connectionId, connectionName)) {
        continue;
      }
      if (!rule.readOnly()) {
        return new AccessDecision(
            true, false, rule.ruleId(), "read-write access granted by " + rule.ruleId());
      }
      if (readOnlyGrant == null) {
        readOnlyGrant = rule;
      }
    }
    if (readOnlyGrant != null) {
      return new AccessDecision(
          true,
          true,
          readOnlyGrant.ruleId(),
          "read-only access granted by " + readOnlyGrant.ruleId());
    }
    String name = connectionName != null ? connectionName : connectionId;
    return AccessDecision.refuse(
        "None of your groups may use connection '"
            + name
            + "'. Ask an administrator to grant one of your groups access in the policy.");
  }
}
