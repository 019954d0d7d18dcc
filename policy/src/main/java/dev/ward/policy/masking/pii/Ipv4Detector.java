package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * IPv4 addresses in dotted-quad form, each part 0-255 without leading zeros. Longer dotted runs
 * (OIDs, four-part version numbers followed by more parts) are not addresses.
 */
public final class Ipv4Detector implements Detector {
  /** Rule id of IPv4 addresses. */
  public static final String RULE_ID = "ipv4";

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public Trigger trigger() {
    return Trigger.DIGITS;
  }

  @Override
  public List<String> keywords() {
    return List.of();
  }

  @Override
  public int priority() {
    return Priority.PERSONAL;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (!Chars.isDigit(text.charAt(i)) || !startBoundary(text, i)) {
        continue;
      }
      int end = parse(text, i);
      if (end > 0) {
        out.add(i, end);
        i = end;
      } else {
        while (i + 1 < n && Chars.isDigit(text.charAt(i + 1))) {
          i++;
        }
      }
    }
  }

  private static boolean startBoundary(CharSequence text, int i) {
    if (i == 0) {
      return true;
    }
    char b = text.charAt(i - 1);
    return !Chars.isWord(b) && b != '.';
  }

  /** End of an address starting at {@code start}, or -1. */
  static int parse(CharSequence text, int start) {
    int n = text.length();
    int i = start;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (i >= n || text.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
      int partStart = i;
      int value = 0;
      while (i < n && Chars.isDigit(text.charAt(i)) && i - partStart < 4) {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
      }
      int len = i - partStart;
      if (len == 0 || len > 3 || value > 255 || (len > 1 && text.charAt(partStart) == '0')) {
        return -1;
      }
    }
    if (i < n) {
      char a = text.charAt(i);
      if (Chars.isWord(a)) {
        return -1;
      }
      if (a == '.' && i + 1 < n && Chars.isDigit(text.charAt(i + 1))) {
        return -1;
      }
    }
    return i;
  }
}
