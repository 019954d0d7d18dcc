package dev.ward.policy.masking.fields;

/**
 * A result column as the data plane knows it: the name it is returned under, the schema, table and
 * column it comes from when known (PostgreSQL's RowDescription carries only the table's OID and the
 * column's number, which the agent resolves), and its type OID.
 *
 * @param schema schema name, or {@code null} when unknown
 * @param table table name, or {@code null} when the column has none (e.g. a computed column)
 * @param name column name as returned (an alias, if the query gave one)
 * @param typeOid PostgreSQL type OID, or 0 when unknown
 * @param sourceColumn the table column's own name when it differs from {@code name}, or {@code
 *     null}
 * @param tableUnresolved the column comes from a table whose name could not be resolved: rules that
 *     name a table or schema treat it as theirs, masking more rather than less
 */
public record ColumnInfo(
    String schema,
    String table,
    String name,
    int typeOid,
    String sourceColumn,
    boolean tableUnresolved) {

  public ColumnInfo(String schema, String table, String name, int typeOid) {
    this(schema, table, name, typeOid, null, false);
  }

  /** A column known only by name and type. */
  public static ColumnInfo of(String name, int typeOid) {
    return new ColumnInfo(null, null, name, typeOid);
  }

  /** A column of a table whose name could not be resolved. */
  public static ColumnInfo ofUnresolvedTable(String name, int typeOid) {
    return new ColumnInfo(null, null, name, typeOid, null, true);
  }

  /** The column's name qualified as far as known, e.g. {@code public.users.email}. */
  public String qualifiedName() {
    return qualified(name);
  }

  /** The table column's own name qualified, or {@code null} when it is returned under it. */
  public String qualifiedSourceName() {
    return sourceColumn == null ? null : qualified(sourceColumn);
  }

  private String qualified(String column) {
    StringBuilder b = new StringBuilder();
    if (schema != null) {
      b.append(schema).append('.');
    }
    if (table != null) {
      b.append(table).append('.');
    }
    return b.append(column).toString();
  }
}
