package dev.ward.policy.masking.fields;

import com.google.re2j.Pattern;
import dev.ward.policy.masking.MaskingStrategy;
import dev.ward.policy.match.Glob;
import java.util.Set;

/**
 * Masks whole cells of matching columns, chosen by name and/or type. A name glob has one to three
 * dot-separated parts: {@code column}, {@code table.column} or {@code schema.table.column}; parts a
 * column does not have (the table of a computed column) match only {@code *}. The column part
 * matches the name the column is returned under or the table column's own name, so an alias does
 * not hide a column. A column whose table could not be resolved counts as matching any table and
 * schema part: masking errs on the side of hiding. Names are compared case-insensitively, as
 * PostgreSQL folds unquoted identifiers.
 */
public final class ColumnRule {
  private final String ruleId;
  private final Glob[] parts;
  private final Pattern regex;
  private final Set<Integer> typeOids;
  private final MaskingStrategy strategy;

  /**
   * @param ruleId rule id reported in the manifest
   * @param glob name glob, or {@code null}
   * @param regex RE2 expression searched in the qualified name, or {@code null}
   * @param typeOids type OIDs that match, empty for any type
   * @param strategy how matching cells are masked
   */
  public ColumnRule(
      String ruleId, String glob, Pattern regex, Set<Integer> typeOids, MaskingStrategy strategy) {
    this.ruleId = ruleId;
    this.parts = glob == null ? null : compileParts(glob);
    this.regex = regex;
    this.typeOids = Set.copyOf(typeOids);
    this.strategy = strategy;
  }

  private static Glob[] compileParts(String glob) {
    String[] split = glob.split("\\.", -1);
    if (split.length > 3) {
      throw new IllegalArgumentException(
          "column pattern '" + glob + "' has more than three parts (schema.table.column)");
    }
    Glob[] globs = new Glob[split.length];
    for (int i = 0; i < split.length; i++) {
      if (split[i].isEmpty()) {
        throw new IllegalArgumentException("column pattern '" + glob + "' has an empty part");
      }
      globs[i] = Glob.compile(split[i], (char) 0, true);
    }
    return globs;
  }

  public String ruleId() {
    return ruleId;
  }

  public MaskingStrategy strategy() {
    return strategy;
  }

  /**
   * Whether matching needs the schema and table a column comes from, so the data plane should
   * resolve them before asking.
   */
  public boolean needsTableNames() {
    if (regex != null) {
      return true;
    }
    if (parts != null) {
      for (int i = 0; i < parts.length - 1; i++) {
        if (!parts[i].toString().equals("*")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether this rule masks the column. */
  public boolean matches(ColumnInfo column) {
    if (!typeOids.isEmpty() && !typeOids.contains(column.typeOid())) {
      return false;
    }
    if (parts != null
        && !namesMatch(column, column.name())
        && (column.sourceColumn() == null || !namesMatch(column, column.sourceColumn()))) {
      return false;
    }
    if (regex == null || column.tableUnresolved()) {
      return true;
    }
    String source = column.qualifiedSourceName();
    return regex.matcher(column.qualifiedName()).find()
        || (source != null && regex.matcher(source).find());
  }

  private boolean namesMatch(ColumnInfo column, String columnName) {
    String[] names = {column.schema(), column.table(), columnName};
    int offset = 3 - parts.length;
    for (int i = 0; i < parts.length; i++) {
      String name = names[offset + i];
      if (i < parts.length - 1 && column.tableUnresolved()) {
        continue;
      }
      if (name == null) {
        if (!parts[i].toString().equals("*")) {
          return false;
        }
      } else if (!parts[i].matches(name)) {
        return false;
      }
    }
    return true;
  }
}
