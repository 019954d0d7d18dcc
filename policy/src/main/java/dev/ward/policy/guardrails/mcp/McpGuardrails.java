package dev.ward.policy.guardrails.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.policy.guardrails.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MCP guardrails of a policy: the first rule whose tool glob and argument conditions match a
 * {@code tools/call} decides. Arguments that are not valid JSON satisfy every argument condition,
 * so a malformed call can not slip past a rule.
 */
public final class McpGuardrails {
  /** Largest arguments document inspected; larger ones are treated as unparseable. */
  public static final int MAX_ARGUMENTS_LENGTH = 1 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<McpRule> rules;

  public McpGuardrails(List<McpRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Decides on a tool call.
   *
   * @param tool the tool's name
   * @param argumentsJson the call's {@code arguments} object as JSON, or {@code null}
   */
  public Decision evaluate(String tool, String argumentsJson) {
    JsonNode arguments = parse(argumentsJson);
    for (McpRule rule : rules) {
      if (rule.matchesTool(tool) && argumentsMatch(rule, arguments)) {
        return rule.action().decision();
      }
    }
    return Decision.allow();
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      return MAPPER.createObjectNode();
    }
    if (json.length() > MAX_ARGUMENTS_LENGTH) {
      return null;
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean argumentsMatch(McpRule rule, JsonNode arguments) {
    if (rule.arguments().isEmpty()) {
      return true;
    }
    if (arguments == null) {
      return true;
    }
    for (ArgumentCondition condition : rule.arguments()) {
      if (!anyValue(arguments, new ArrayList<>(), condition)) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyValue(JsonNode node, List<Object> path, ArgumentCondition condition) {
    if (condition.path().matches(path)
        && condition.accepts(node.isValueNode() ? node.asText() : node.toString())) {
      return true;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        path.add(field.getKey());
        boolean found = anyValue(field.getValue(), path, condition);
        path.removeLast();
        if (found) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(i);
        boolean found = anyValue(node.get(i), path, condition);
        path.removeLast();
        if (found) {
          return true;
        }
      }
    }
    return false;
  }
}
