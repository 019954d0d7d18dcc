package dev.ward.policy.guardrails.git;

import dev.ward.policy.guardrails.RuleAction;
import dev.ward.policy.match.Glob;
import java.util.List;

/**
 * One Git push guardrail: ref globs ({@code refs/heads/main}, {@code refs/tags/**}) and, when set,
 * whether the update is a force push, a deletion or a creation.
 *
 * @param forcePush {@code true}/{@code false} to match only (non-)forced updates; null: either
 * @param deletion {@code true}/{@code false} to match only (non-)deletions; null: either
 * @param creation {@code true}/{@code false} to match only (non-)creations; null: either
 */
public record GitRule(
    RuleAction action, List<Glob> refs, Boolean forcePush, Boolean deletion, Boolean creation) {

  public GitRule {
    refs = List.copyOf(refs);
  }

  /** Whether the rule matches one ref update. */
  public boolean matches(String ref, boolean force, boolean deletes, boolean creates) {
    if (!refs.isEmpty() && refs.stream().noneMatch(g -> g.matches(ref))) {
      return false;
    }
    return (forcePush == null || forcePush == force)
        && (deletion == null || deletion == deletes)
        && (creation == null || creation == creates);
  }
}
