package dev.ward.policy.guardrails.http;

import dev.ward.policy.guardrails.RuleAction;
import dev.ward.policy.match.Glob;
import java.util.List;
import java.util.Set;

/**
 * One HTTP guardrail: methods and path globs ({@code /admin/**}, {@code /v1/users/*}); empty lists
 * match anything.
 */
public record HttpRule(RuleAction action, Set<String> methods, List<Glob> paths) {

  public HttpRule {
    methods = Set.copyOf(methods);
    paths = List.copyOf(paths);
  }

  /** Whether the rule matches a request with this (upper-case) method and normalised path. */
  public boolean matches(String method, String path) {
    if (!methods.isEmpty() && !methods.contains(method)) {
      return false;
    }
    return paths.isEmpty() || paths.stream().anyMatch(p -> p.matches(path));
  }
}
