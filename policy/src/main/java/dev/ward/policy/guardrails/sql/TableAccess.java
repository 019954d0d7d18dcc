package dev.ward.policy.guardrails.sql;

import java.util.Locale;

/** Which use of a table a SQL rule is about. */
public enum TableAccess {
  /** Tables the statement only reads. */
  READ,
  /** Tables the statement writes or changes. */
  WRITE,
  /** Either. */
  ANY;

  /** The access with this policy name ({@code read}, {@code write}, {@code any}). */
  public static TableAccess fromPolicyName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown table access '" + name + "'; use read, write or any", e);
    }
  }
}
