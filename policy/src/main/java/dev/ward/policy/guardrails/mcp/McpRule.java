package dev.ward.policy.guardrails.mcp;

import dev.ward.policy.guardrails.RuleAction;
import dev.ward.policy.match.Glob;
import java.util.List;

/** One MCP guardrail: tool name globs and conditions on the call's arguments (all must hold). */
public record McpRule(RuleAction action, List<Glob> tools, List<ArgumentCondition> arguments) {

  public McpRule {
    tools = List.copyOf(tools);
    arguments = List.copyOf(arguments);
  }

  /** Whether the rule's tool globs accept the tool (no globs: any tool). */
  public boolean matchesTool(String tool) {
    return tools.isEmpty() || tools.stream().anyMatch(g -> g.matches(tool));
  }
}
