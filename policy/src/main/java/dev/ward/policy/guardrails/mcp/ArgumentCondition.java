package dev.ward.policy.guardrails.mcp;

import com.google.re2j.Pattern;
import dev.ward.policy.masking.fields.JsonPath;
import dev.ward.policy.match.Glob;

/**
 * A condition on an MCP tool call's arguments: some value at {@code path} exists and, when given,
 * matches the glob or the RE2 expression (searched in the value's text).
 */
public record ArgumentCondition(JsonPath path, Glob glob, Pattern regex) {

  /** Whether a value's text satisfies the condition. */
  public boolean accepts(String valueText) {
    if (glob != null && !glob.matches(valueText)) {
      return false;
    }
    return regex == null || regex.matcher(valueText).find();
  }
}
