package dev.ward.policy.masking.secrets;

import java.util.Locale;

/** Building blocks shared by the secret family tables. */
final class Formats {
  private Formats() {}

  /** A UUID, the shape of several vendors' keys. */
  static final String UUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  /** What may follow a token: anything that cannot continue it. */
  static final String END = "(?:[^0-9A-Za-z_\\-]|$)";

  /**
   * A value assigned to a name that mentions the vendor, as in {@code DATADOG_API_KEY="..."},
   * {@code "heroku_token": "..."} or {@code discord.secret: ...}. Group 1 is the value.
   *
   * @param name expression for the vendor's name (matched case-insensitively)
   * @param value expression for the value
   */
  static String assigned(String name, String value) {
    return "(?i)(?:"
        + name
        + ")[\\w.\\-]{0,25}[\"'`]?\\s{0,3}(?::=|=>|=|:)\\s{0,3}[\"'`]?("
        + value
        + ")"
        + END;
  }

  /** Whether the value is a documentation example (AWS and others end theirs with EXAMPLE). */
  static boolean notExample(CharSequence value) {
    return !value.toString().toUpperCase(Locale.ROOT).contains("EXAMPLE");
  }
}
