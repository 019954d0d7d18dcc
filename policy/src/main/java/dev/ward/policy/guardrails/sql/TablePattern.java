package dev.ward.policy.guardrails.sql;

import dev.ward.policy.match.Glob;
import java.util.Set;

/**
 * A table glob in a SQL rule: {@code table} (any schema) or {@code schema.table}, e.g. {@code
 * billing.*} or {@code public.users}. A name the statement left unqualified is taken to be in
 * {@code public} (the default search path), except that a pattern naming one table literally
 * matches it in any schema, so changing {@code search_path} does not slip past a rule on a table.
 */
public final class TablePattern {
  private final String text;
  private final Glob schema;
  private final Glob table;

  private TablePattern(String text, Glob schema, Glob table) {
    this.text = text;
    this.schema = schema;
    this.table = table;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException when it has more than two parts or an empty one
   */
  public static TablePattern parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(
          "table pattern '" + text + "' has more than two parts; write schema.table");
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("table pattern '" + text + "' has an empty part");
      }
    }
    Glob schema = parts.length == 2 ? Glob.compile(parts[0], (char) 0, true) : null;
    Glob table = Glob.compile(parts[parts.length - 1], (char) 0, true);
    return new TablePattern(text, schema, table);
  }

  /** A pattern for every table of a schema. */
  public static TablePattern schema(String schema) {
    return parse(schema + ".*");
  }

  /** Whether a table the statement names matches. */
  public boolean matches(TableName name) {
    if (!table.matches(name.name())) {
      return false;
    }
    if (schema == null) {
      return true;
    }
    if (name.schema() != null) {
      return schema.matches(name.schema());
    }
    return schema.matches("public") || table.isLiteral();
  }

  /**
   * Whether a statement whose tables are unknown may touch a matching table: any of its identifiers
   * names the table, or (for a schema-wide pattern) the schema.
   */
  public boolean mayMatch(Set<String> mentions) {
    for (String word : mentions) {
      if (table.isLiteral() ? table.matches(word) : schema != null && schema.matches(word)) {
        return true;
      }
    }
    return schema == null && !table.isLiteral() && !mentions.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }
}
