package dev.ward.policy.guardrails.sql;

import java.util.Locale;

/** The kind of a SQL statement, as far as access control is concerned. */
public enum StatementClass {
  /** Reads data only: SELECT, VALUES, TABLE, COPY ... TO STDOUT, FETCH, EXPLAIN without ANALYZE. */
  READ,
  /** Changes data or runs server-side code: INSERT, UPDATE, DELETE, MERGE, CALL, DO, COPY FROM. */
  WRITE,
  /** Changes the schema: CREATE, ALTER, DROP, TRUNCATE, COMMENT. */
  DDL,
  /** Changes privileges or identities: GRANT, REVOKE, roles, SET ROLE. */
  DCL,
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE. */
  TRANSACTION_CONTROL,
  /** Session and maintenance commands: SET, SHOW, RESET, LISTEN, VACUUM, ANALYZE. */
  UTILITY,
  /** Neither the parser nor the keyword classifier could tell; a policy decides. */
  UNKNOWN;

  /** The name used in policies, e.g. {@code transaction-control}. */
  public String policyName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The class with this policy name. */
  public static StatementClass fromPolicyName(String name) {
    for (StatementClass c : values()) {
      if (c.policyName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown statement class '"
            + name
            + "'; use read, write, ddl, dcl, transaction-control, utility or unknown");
  }

  /** Whether a read-only connection may run statements of this class. */
  public boolean allowedReadOnly() {
    return this == READ || this == TRANSACTION_CONTROL || this == UTILITY;
  }
}
