package dev.ward.controlplane.policy.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a policy document before it is saved, so an invalid policy never reaches an agent. This is
 * the seam for the policy engine's compiler ({@code dev.ward.policy}): once it exists, this class
 * delegates to it and returns each problem it lists. Until then it checks the shape only: a JSON
 * object of bounded size and nesting.
 */
@ApplicationScoped
public class PolicyDocumentValidator {

  /** Largest document accepted, in characters of compact JSON. */
  public static final int MAX_CHARS = 256 * 1024;

  private static final int MAX_DEPTH = 32;

  /** What is wrong with the document, one readable sentence each; empty when it is valid. */
  public List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>();
    if (document == null || !document.isObject()) {
      problems.add("must be a JSON object");
      return problems;
    }
    if (document.toString().length() > MAX_CHARS) {
      problems.add("must be at most " + MAX_CHARS + " characters of JSON");
    }
    if (depth(document) > MAX_DEPTH) {
      problems.add("must not nest deeper than " + MAX_DEPTH + " levels");
    }
    return problems;
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }
}
