package dev.ward.controlplane.policy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.controlplane.common.ProblemBody.FieldError;
import dev.ward.policy.PolicyCompiler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a policy document before it is saved, so a policy that agents could not enforce never
 * reaches them. Bounds its size and nesting, then compiles it with the policy engine ({@link
 * PolicyCompiler}), which lists every problem with a JSON pointer into the document.
 */
@ApplicationScoped
public class PolicyDocumentValidator {

  /** Largest document accepted, in characters of compact JSON. */
  public static final int MAX_CHARS = 256 * 1024;

  private static final int MAX_DEPTH = 32;

  /**
   * What is wrong with the document, one field error each; empty when it is valid. The field is
   * {@code document} followed by the JSON pointer of the offending value, e.g. {@code
   * document/recording/mode}.
   */
  public List<FieldError> problems(JsonNode document) {
    List<FieldError> problems = new ArrayList<>();
    if (document == null || !document.isObject()) {
      problems.add(new FieldError("document", "must be a JSON object"));
      return problems;
    }
    String json = document.toString();
    if (json.length() > MAX_CHARS) {
      problems.add(
          new FieldError("document", "must be at most " + MAX_CHARS + " characters of JSON"));
      return problems;
    }
    if (depth(document) > MAX_DEPTH) {
      problems.add(
          new FieldError("document", "must not nest deeper than " + MAX_DEPTH + " levels"));
      return problems;
    }
    PolicyCompiler.validate(json)
        .forEach(p -> problems.add(new FieldError("document" + p.pointer(), p.message())));
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
