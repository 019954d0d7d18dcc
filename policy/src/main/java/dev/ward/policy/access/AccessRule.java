package dev.ward.policy.access;

import dev.ward.policy.match.Glob;
import java.util.List;
import java.util.Set;

/**
 * Grants members of some groups the use of some connections, read-only or read-write.
 *
 * @param ruleId the rule's id
 * @param groups group names; {@code *} is any authenticated user
 * @param connections globs over connection names or ids
 * @param readOnly whether the grant is read-only
 */
public record AccessRule(
    String ruleId, Set<String> groups, List<Glob> connections, boolean readOnly) {

  public AccessRule {
    groups = Set.copyOf(groups);
    connections = List.copyOf(connections);
  }

  boolean appliesTo(Set<String> userGroups, String connectionId, String connectionName) {
    boolean member = groups.contains("*") || userGroups.stream().anyMatch(groups::contains);
    if (!member) {
      return false;
    }
    return connections.stream()
        .anyMatch(
            g -> g.matches(connectionId) || (connectionName != null && g.matches(connectionName)));
  }
}
