package dev.ward.policy.guardrails.sql;

import java.util.Locale;

/**
 * A table as a statement names it. Unquoted identifiers are folded to lower case as PostgreSQL
 * does; quoted ones keep their case.
 *
 * @param schema the schema, or {@code null} when the statement did not qualify the name
 * @param name the table
 */
public record TableName(String schema, String name) {

  /** Normalises identifiers as written in SQL (quoted or not). */
  public static TableName of(String schema, String name) {
    return new TableName(schema == null ? null : identifier(schema), identifier(name));
  }

  static String identifier(String raw) {
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      return raw.substring(1, raw.length() - 1).replace("\"\"", "\"");
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
