package dev.ward.policy.guardrails.git;

import dev.ward.policy.guardrails.Decision;
import java.util.List;

/** The Git push guardrails of a policy: the first rule matching a ref update decides. */
public final class GitGuardrails {
  private final List<GitRule> rules;

  public GitGuardrails(List<GitRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Decides on one ref update of a push.
   *
   * @param ref the full ref name, e.g. {@code refs/heads/main}
   * @param oldId the ref's current object id (all zeros when the push creates it)
   * @param newId the pushed object id (all zeros when the push deletes the ref)
   * @param force whether the update is not a fast-forward
   */
  public Decision evaluate(String ref, String oldId, String newId, boolean force) {
    boolean deletes = isZero(newId);
    boolean creates = isZero(oldId);
    for (GitRule rule : rules) {
      if (rule.matches(ref, force, deletes, creates)) {
        return rule.action().decision();
      }
    }
    return Decision.allow();
  }

  private static boolean isZero(String id) {
    if (id == null || id.isEmpty()) {
      return true;
    }
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
