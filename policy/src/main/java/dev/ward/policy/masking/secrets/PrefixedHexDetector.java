package dev.ward.policy.masking.secrets;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * A case-sensitive two-letter prefix followed by exactly N hex digits (Twilio's {@code SK...} and
 * {@code AC...}). The prefixes are too short for the keyword filter, so this scans by hand, only
 * around long hex runs: no allocation.
 */
final class PrefixedHexDetector implements Detector {
  private final String ruleId;
  private final char first;
  private final char second;
  private final int hexDigits;

  PrefixedHexDetector(String ruleId, String prefix, int hexDigits) {
    this.ruleId = ruleId;
    this.first = prefix.charAt(0);
    this.second = prefix.charAt(1);
    this.hexDigits = hexDigits;
    if (hexDigits < 32) {
      // the scanner runs this detector only around runs of 32 hex digits or more
      throw new IllegalArgumentException(ruleId + ": fewer than 32 hex digits");
    }
  }

  @Override
  public String ruleId() {
    return ruleId;
  }

  @Override
  public Trigger trigger() {
    return Trigger.HEX_RUN;
  }

  @Override
  public List<String> keywords() {
    return List.of();
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    int n = text.length();
    int last = n - 2 - hexDigits;
    for (int i = 0; i <= last; i++) {
      if (text.charAt(i) != first || text.charAt(i + 1) != second) {
        continue;
      }
      if (i > 0 && isWordChar(text.charAt(i - 1))) {
        continue;
      }
      int end = i + 2 + hexDigits;
      if (end < n && isWordChar(text.charAt(end))) {
        continue;
      }
      if (allHex(text, i + 2, end)) {
        out.add(i, end);
        i = end - 1;
      }
    }
  }

  private static boolean allHex(CharSequence text, int from, int to) {
    int letters = 0;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        letters++;
      } else {
        return false;
      }
    }
    // a real key mixes digits and letters; a run of one kind is a placeholder
    return letters > 0 && digits > 0;
  }

  private static boolean isWordChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == '-';
  }
}
