package dev.ward.policy.masking.secrets;

import java.util.List;
import java.util.Locale;

/**
 * Values that stand for a secret without being one: template variables, angle-bracket hints, masks
 * and the usual documentation words. Masking them would only add noise.
 */
final class Placeholders {
  private Placeholders() {}

  private static final List<String> WORDS =
      List.of(
          "changeme",
          "change_me",
          "change-me",
          "example",
          "placeholder",
          "dummy",
          "redacted",
          "xxxxx",
          "*****",
          "your_",
          "your-",
          "yourpassword",
          "password",
          "secret",
          "notreal",
          "not_real",
          "sample");

  /** Whether the value is a template reference or a masked or illustrative value. */
  static boolean isPlaceholder(CharSequence value) {
    String v = value.toString();
    if (v.isEmpty()) {
      return true;
    }
    char first = v.charAt(0);
    if (first == '$' || first == '<' || first == '%' || first == '{' || first == '@') {
      return true;
    }
    if (v.startsWith("#{") || v.contains("{{") || v.contains("${")) {
      return true;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    for (String word : WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  static boolean notPlaceholder(CharSequence value) {
    return !isPlaceholder(value);
  }
}
