package dev.ward.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ward.policy.document.PolicyDocument;
import java.util.Collection;
import java.util.stream.Collectors;

/** Parses a policy document strictly, turning Jackson's errors into problems with pointers. */
final class DocumentReader {
  /** Largest policy document accepted. */
  static final int MAX_DOCUMENT_LENGTH = 1 << 20;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(64 * 1024).build());
  }

  private DocumentReader() {}

  /** The document, or null with the reason added to {@code problems}. */
  static PolicyDocument read(String json, Problems problems) {
    if (json == null || json.isBlank()) {
      problems.add("", "the policy document is empty; it must be a JSON object");
      return null;
    }
    if (json.length() > MAX_DOCUMENT_LENGTH) {
      problems.add("", "the policy document is larger than " + MAX_DOCUMENT_LENGTH + " characters");
      return null;
    }
    try {
      PolicyDocument document = MAPPER.readValue(json, PolicyDocument.class);
      if (document == null) {
        problems.add("", "the policy document is null; it must be a JSON object");
      }
      return document;
    } catch (UnrecognizedPropertyException e) {
      problems.add(
          pointer(e),
          "unknown field '"
              + e.getPropertyName()
              + "'"
              + known(e.getKnownPropertyIds())
              + "; check its spelling against POLICY.md");
    } catch (JsonMappingException e) {
      problems.add(pointer(e), "wrong type of value: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      problems.add(pointer(e), "not valid JSON: " + e.getOriginalMessage() + location(e));
    }
    return null;
  }

  private static String known(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "";
    }
    return " (known fields: "
        + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
        + ")";
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String pointer(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference ref : m.getPath()) {
      b.append('/');
      if (ref.getFieldName() != null) {
        b.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else {
        b.append(ref.getIndex());
      }
    }
    return b.toString();
  }
}
