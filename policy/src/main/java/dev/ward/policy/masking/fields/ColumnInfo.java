package dev.ward.policy.masking.fields;

/**
 * A result column as the data plane knows it: the column's name, its table and schema when known
 * (PostgreSQL's RowDescription carries only the table's OID, which the agent may resolve), and its
 * type OID.
 *
 * @param schema schema name, or {@code null} when unknown
 * @param table table name, or {@code null} when unknown (e.g. a computed column)
 * @param name column name as returned
 * @param typeOid PostgreSQL type OID, or 0 when unknown
 */
public record ColumnInfo(String schema, String table, String name, int typeOid) {

  /** A column known only by name and type. */
  public static ColumnInfo of(String name, int typeOid) {
    return new ColumnInfo(null, null, name, typeOid);
  }

  /** The column's name qualified as far as known, e.g. {@code public.users.email}. */
  public String qualifiedName() {
    StringBuilder b = new StringBuilder();
    if (schema != null) {
      b.append(schema).append('.');
    }
    if (table != null) {
      b.append(table).append('.');
    }
    return b.append(name).toString();
  }
}
