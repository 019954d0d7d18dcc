package dev.ward.policy.guardrails.http;

import dev.ward.policy.guardrails.Decision;
import java.util.List;
import java.util.Locale;

/** The HTTP guardrails of a policy: the first rule matching method and path decides. */
public final class HttpGuardrails {
  private final List<HttpRule> rules;

  public HttpGuardrails(List<HttpRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Decides on a request.
   *
   * @param method the HTTP method
   * @param path the request target's path (a query string is ignored)
   */
  public Decision evaluate(String method, String path) {
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    String p = RequestPath.normalize(path);
    for (HttpRule rule : rules) {
      if (rule.matches(m, p)) {
        return rule.action().decision();
      }
    }
    return Decision.allow();
  }
}
