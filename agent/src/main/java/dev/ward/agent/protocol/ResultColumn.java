package dev.ward.agent.protocol;

/**
 * One column of a result set.
 *
 * @param name the column name as the upstream reports it (an alias, if the query gave one)
 * @param typeOid the PostgreSQL type OID (or the protocol's equivalent type id)
 * @param binary whether values arrive in binary rather than text form
 * @param tableOid the OID of the table the column comes from, 0 when none (e.g. computed)
 * @param attribute the column's number in that table, 0 when none
 * @param source the schema, table and column names behind {@code tableOid}, or {@code null} when
 *     not looked up
 */
public record ResultColumn(
    String name, int typeOid, boolean binary, int tableOid, short attribute, Source source) {

  public ResultColumn(String name, int typeOid, boolean binary) {
    this(name, typeOid, binary, 0, (short) 0, null);
  }

  /** The same column with values in the given form. */
  public ResultColumn withBinary(boolean binary) {
    return new ResultColumn(name, typeOid, binary, tableOid, attribute, source);
  }

  /**
   * Where a column comes from, as the catalog names it.
   *
   * @param schema the schema, or {@code null} when the table could not be resolved
   * @param table the table, or {@code null} when it could not be resolved
   * @param column the table column's own name, or {@code null} when unknown
   */
  public record Source(String schema, String table, String column) {

    /** The table exists but its name could not be looked up (the catalog was unreachable). */
    public static final Source UNRESOLVED = new Source(null, null, null);

    public boolean resolved() {
      return table != null;
    }
  }
}
