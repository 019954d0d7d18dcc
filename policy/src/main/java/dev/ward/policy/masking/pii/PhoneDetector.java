package dev.ward.policy.masking.pii;

import com.google.re2j.Matcher;
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

  private static final Pattern PHONE =
      Pattern.compile(
          "(?:^|[^\\w+.\\-/:])("
              // international: + country code, then groups
              + "\\+[1-9][0-9]{0,2}(?:[ .\\-]?\\(?[0-9]{1,4}\\)?){1,5}[ .\\-]?[0-9]{2,6}"
              // North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX
              + "|\\([2-9][0-9]{2}\\) ?[2-9][0-9]{2}[\\-. ][0-9]{4}"
              + "|[2-9][0-9]{2}-[2-9][0-9]{2}-[0-9]{4}|[2-9][0-9]{2}\\.[2-9][0-9]{2}\\.[0-9]{4}"
              // trunk prefix 0 with grouped digits: 020 7946 0958, 030-12345678, 06 12 34 56 78
              + "|0[1-9][0-9]{0,4}[ \\-][0-9]{2,4}(?:[ \\-][0-9]{2,4}){0,3}"
              + ")(?:[^\\w.\\-/:]|$|[.:][^\\w])");

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public List<String> keywords() {
    return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  }

  @Override
  public int priority() {
    return Priority.PERSONAL;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    Matcher m = PHONE.matcher(text);
    int from = 0;
    while (from < text.length() && m.find(from)) {
      int start = m.start(1);
      int end = m.end(1);
      int digits = countDigits(text, start, end);
      boolean international = text.charAt(start) == '+';
      if (international ? digits >= 8 && digits <= 15 : digits >= 10 && digits <= 12) {
        out.add(start, end);
      }
      from = Math.max(end, m.start() + 1);
    }
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
