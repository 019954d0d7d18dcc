package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * US Social Security numbers written {@code AAA-GG-SSSS} (or with spaces), excluding numbers the
 * SSA never issues: area 000, 666 or 900-999, group 00, serial 0000.
 */
public final class SsnDetector implements Detector {
  /** Rule id of SSNs. */
  public static final String RULE_ID = "ssn";

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public int minDigits() {
    // AAA-GG-SSSS
    return 9;
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
    for (int i = 0; i + 11 <= n; i++) {
      char sep = text.charAt(i + 3);
      if ((sep != '-' && sep != ' ')
          || text.charAt(i + 6) != sep
          || !digits(text, i, 3)
          || !digits(text, i + 4, 2)
          || !digits(text, i + 7, 4)
          || !isolated(text, i, i + 11)) {
        continue;
      }
      int area = number(text, i, 3);
      int group = number(text, i + 4, 2);
      int serial = number(text, i + 7, 4);
      if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
        continue;
      }
      out.add(i, i + 11);
      i += 10;
    }
  }

  private static boolean isolated(CharSequence text, int start, int end) {
    if (start > 0) {
      char b = text.charAt(start - 1);
      if (Chars.isWord(b) || b == '-' || b == '.' || b == '+') {
        return false;
      }
    }
    if (end < text.length()) {
      char a = text.charAt(end);
      return !Chars.isWord(a)
          && a != '-'
          && !(a == '.' && end + 1 < text.length() && Chars.isDigit(text.charAt(end + 1)));
    }
    return true;
  }

  private static boolean digits(CharSequence text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!Chars.isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int number(CharSequence text, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 10 + (text.charAt(i) - '0');
    }
    return v;
  }
}
