package dev.ward.controlplane.common.rest;

import dev.ward.controlplane.common.Problem;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads typed filter parameters, so a malformed one is a 400 naming it (JAX-RS would answer 404 for
 * a query parameter it cannot convert).
 */
public final class QueryValues {

  private QueryValues() {}

  /** The UUID in a query parameter; null when absent. */
  public static UUID uuid(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField(field, "a UUID, e.g. 3f2c1c9e-8a4b-4f7e-9d5a-0c6b2e1f4a7d");
    }
  }

  /** The instant in a query parameter (ISO-8601 with offset); null when absent. */
  public static OffsetDateTime instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw Problem.invalidField(field, "an ISO-8601 instant, e.g. 2025-01-31T10:00:00Z");
    }
  }
}
