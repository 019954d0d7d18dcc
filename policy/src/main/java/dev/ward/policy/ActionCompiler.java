package dev.ward.policy;

import com.google.re2j.Pattern;
import dev.ward.policy.guardrails.ApprovalRequirement;
import dev.ward.policy.guardrails.RuleAction;
import dev.ward.policy.guardrails.Verdict;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Compiles the parts every guardrail rule shares: id, action, reason and approval route. */
final class ActionCompiler {
  private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,63}");

  private final Map<String, ApprovalRequirement> approvals;
  private final Problems problems;

  ActionCompiler(Map<String, ApprovalRequirement> approvals, Problems problems) {
    this.approvals = approvals;
    this.problems = problems;
  }

  /** Checks a rule id's form and uniqueness within {@code seen}. */
  boolean checkId(String id, String pointer, Set<String> seen) {
    if (id == null) {
      problems.add(pointer, "every rule needs an id (lower-case letters, digits, '.', '_', '-')");
      return false;
    }
    if (!RULE_ID.matcher(id).matches()) {
      problems.add(
          pointer,
          "rule id '"
              + id
              + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
      return false;
    }
    if (!seen.add(id)) {
      problems.add(pointer, "rule id '" + id + "' is used twice; ids must be unique");
      return false;
    }
    return true;
  }

  /** The rule's action, or null (with a problem) when it is malformed. */
  RuleAction compile(String id, String action, String reason, String approval, String pointer) {
    if (action == null) {
      problems.add(
          Problems.pointer(pointer, "action"),
          "rule '" + id + "' needs an action: allow, deny or hold");
      return null;
    }
    Verdict verdict =
        switch (action) {
          case "allow" -> Verdict.ALLOW;
          case "deny" -> Verdict.DENY;
          case "hold" -> Verdict.HOLD;
          default -> null;
        };
    if (verdict == null) {
      problems.add(
          Problems.pointer(pointer, "action"),
          "unknown action '" + action + "' in rule '" + id + "'; use allow, deny or hold");
      return null;
    }
    ApprovalRequirement route = null;
    if (verdict == Verdict.HOLD) {
      if (approval == null) {
        problems.add(
            Problems.pointer(pointer, "approval"),
            "rule '"
                + id
                + "' holds for approval, so it must name an approval route (approvals[].id)");
        return null;
      }
      route = approvals.get(approval);
      if (route == null) {
        problems.add(
            Problems.pointer(pointer, "approval"),
            "rule '"
                + id
                + "' names approval route '"
                + approval
                + "', which approvals does not define");
        return null;
      }
    } else if (approval != null) {
      problems.add(
          Problems.pointer(pointer, "approval"),
          "rule '" + id + "' names an approval route but its action is " + action + ", not hold");
      return null;
    }
    return new RuleAction(id, verdict, reason != null ? reason : defaultReason(verdict, id), route);
  }

  static Set<String> newIdSet() {
    return new HashSet<>();
  }

  private static String defaultReason(Verdict verdict, String id) {
    return switch (verdict) {
      case ALLOW -> "Allowed by policy rule " + id + ".";
      case DENY -> "Blocked by policy rule " + id + ".";
      case HOLD -> "Held for approval by policy rule " + id + ".";
    };
  }
}
