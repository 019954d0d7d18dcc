package dev.ward.policy.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ward.policy.masking.fields.JsonPath;
import dev.ward.policy.masking.fields.JsonPathRule;
import dev.ward.policy.masking.secrets.GenericSecretDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Masks JSON documents: values selected by path rules are replaced whole, string values under
 * secret-sounding keys ({@code "api_key": "..."}) are checked like generic assignments, and every
 * other string goes through content detection.
 */
final class JsonMasker {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Masker masker;
  private final MaskingRules rules;

  JsonMasker(Masker masker, MaskingRules rules) {
    this.masker = masker;
    this.rules = rules;
  }

  /**
   * Masks a document.
   *
   * @param place location reported for every finding (a result cell), or null for JSON paths
   */
  String mask(String document, MaskingManifest.Builder manifest, Location place) {
    if (rules.jsonPathRules().isEmpty()
        && rules.secretNames() == null
        && rules.scanner().scan(document) == null) {
      // nothing a detector would find even in the raw text, and no rule depends on structure
      return document;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(document);
    } catch (JsonProcessingException e) {
      return masker.mask(document, manifest, place).toString();
    }
    if (root == null) {
      return masker.mask(document, manifest, place).toString();
    }
    Walk walk = new Walk(manifest, place);
    JsonNode masked = walk.visit(root, new ArrayList<>(), null);
    if (!walk.changed) {
      return document;
    }
    try {
      return MAPPER.writeValueAsString(masked);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("re-serialising a parsed document failed", e);
    }
  }

  private final class Walk {
    private final MaskingManifest.Builder manifest;
    private final Location place;
    private boolean changed;

    Walk(MaskingManifest.Builder manifest, Location place) {
      this.manifest = manifest;
      this.place = place;
    }

    /** Returns the replacement of {@code node}, or {@code node} when it is unchanged. */
    JsonNode visit(JsonNode node, List<Object> path, String key) {
      JsonPathRule rule = pathRule(path);
      if (rule != null) {
        String value = node.isValueNode() ? node.asText() : node.toString();
        manifest.add(rule.ruleId(), where(path), rule.strategy().label());
        changed = true;
        return TextNode.valueOf(rule.strategy().apply(rule.ruleId(), value, masker.key()));
      }
      if (node.isObject()) {
        ObjectNode object = (ObjectNode) node;
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          path.add(field.getKey());
          JsonNode out = visit(field.getValue(), path, field.getKey());
          path.removeLast();
          if (out != field.getValue()) {
            replaced.add(Map.entry(field.getKey(), out));
          }
        }
        replaced.forEach(e -> object.set(e.getKey(), e.getValue()));
        return object;
      }
      if (node.isArray()) {
        ArrayNode array = (ArrayNode) node;
        for (int i = 0; i < array.size(); i++) {
          path.add(i);
          JsonNode out = visit(array.get(i), path, null);
          path.removeLast();
          if (out != array.get(i)) {
            array.set(i, out);
          }
        }
        return array;
      }
      if (node.isTextual()) {
        return visitString(node, path, key);
      }
      return node;
    }

    private JsonNode visitString(JsonNode node, List<Object> path, String key) {
      String text = node.textValue();
      if (key != null
          && rules.secretNames() != null
          && GenericSecretDetector.isSecretName(key)
          && rules.secretNames().looksSecret(text, 0, text.length())) {
        MaskingStrategy strategy = rules.secretNameStrategy();
        String ruleId = rules.secretNames().ruleId();
        manifest.add(ruleId, where(path), strategy.label());
        changed = true;
        return TextNode.valueOf(strategy.apply(ruleId, text, masker.key()));
      }
      TextScanner.Spans spans = rules.scanner().scan(text);
      if (spans == null) {
        return node;
      }
      changed = true;
      return TextNode.valueOf(masker.mask(text, manifest, where(path)).toString());
    }

    private Location where(List<Object> path) {
      return place != null ? place : new Location.JsonPath(JsonPath.render(path));
    }

    private JsonPathRule pathRule(List<Object> path) {
      for (JsonPathRule rule : rules.jsonPathRules()) {
        if (rule.path().matches(path)) {
          return rule;
        }
      }
      return null;
    }
  }
}
