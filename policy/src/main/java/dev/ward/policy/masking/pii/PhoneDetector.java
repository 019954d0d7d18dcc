package dev.ward.policy.masking.pii;

import com.google.re2j.Pattern;
import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * Telephone numbers in E.164 ({@code +4915123456789}, {@code +1 415 555 0132}) and in common
 * national layouts that carry separators ({@code (415) 555-0132}, {@code 415-555-0132}, {@code 020
 * 7946 0958}). Bare digit runs are never taken for phone numbers: they are far more often ids,
 * counters or timestamps.
 */
public final class PhoneDetector implements Detector {
  /** Rule id of phone numbers. */
  public static final String RULE_ID = "phone";

  /** The accepted layouts, matched against a whole candidate run. */
  private static final Pattern PHONE =
      Pattern.compile(
          // international: + country code, then groups
          "\\+[1-9][0-9]{0,2}(?:[ .\\-]?\\(?[0-9]{1,4}\\)?){1,5}[ .\\-]?[0-9]{2,6}"
              // North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX
              + "|\\([2-9][0-9]{2}\\) ?[2-9][0-9]{2}[\\-. ][0-9]{4}"
              + "|[2-9][0-9]{2}-[2-9][0-9]{2}-[0-9]{4}|[2-9][0-9]{2}\\.[2-9][0-9]{2}\\.[0-9]{4}"
              // trunk prefix 0 with grouped digits: 020 7946 0958, 030-12345678, 06 12 34 56 78
              + "|0[1-9][0-9]{0,4}[ \\-][0-9]{2,4}(?:[ \\-][0-9]{2,4}){0,3}");

  private static final int MAX_RUN = 24;

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public int minDigits() {
    // E.164 numbers have at least 8 digits, national layouts 10
    return 8;
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

  /**
   * Finds runs of digits and phone punctuation that start and end on a boundary, and checks only
   * runs with a phone's count of digits against the layouts: one cheap pass over the text.
   */
  @Override
  public void detect(CharSequence text, Findings out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (!(Chars.isDigit(c) || c == '+' || c == '(') || !startBoundary(text, i)) {
        i++;
        continue;
      }
      int end = i;
      int digits = 0;
      while (end < n && end - i < MAX_RUN && (end == i || isRunChar(text, end))) {
        if (Chars.isDigit(text.charAt(end))) {
          digits++;
        }
        end++;
      }
      while (end > i && !Chars.isDigit(text.charAt(end - 1))) {
        end--;
      }
      boolean international = c == '+';
      boolean plausible =
          international ? digits >= 8 && digits <= 15 : digits >= 10 && digits <= 12;
      if (plausible
          && endBoundary(text, end)
          && PHONE.matcher(text.subSequence(i, end)).matches()) {
        out.add(i, end);
      }
      i = Math.max(end, i + 1);
      while (i < n && Chars.isDigit(text.charAt(i))) {
        i++;
      }
    }
  }

  private static boolean isRunChar(CharSequence text, int i) {
    char c = text.charAt(i);
    if (Chars.isDigit(c) || c == '(' || c == ')' || c == '-' || c == '.') {
      return true;
    }
    if (c == '+') {
      return false;
    }
    // one space between groups, never two
    return c == ' '
        && i + 1 < text.length()
        && text.charAt(i - 1) != ' '
        && text.charAt(i + 1) != ' ';
  }

  private static boolean startBoundary(CharSequence text, int i) {
    if (i == 0) {
      return true;
    }
    char b = text.charAt(i - 1);
    return !Chars.isWord(b) && b != '+' && b != '.' && b != '-' && b != '/' && b != ':';
  }

  private static boolean endBoundary(CharSequence text, int end) {
    if (end >= text.length()) {
      return true;
    }
    char a = text.charAt(end);
    if (Chars.isWord(a) || a == '-' || a == '/') {
      return false;
    }
    boolean continues = end + 1 < text.length() && Chars.isWord(text.charAt(end + 1));
    return !((a == '.' || a == ':') && continues);
  }

  private static int countDigits(CharSequence text, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if (Chars.isDigit(text.charAt(i))) {
        count++;
      }
    }
    return count;
  }
}
