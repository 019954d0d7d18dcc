package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits, optionally grouped by one kind of separator (space or
 * dash), with a known issuer prefix and a valid Luhn check digit.
 */
public final class CardNumberDetector implements Detector {
  /** Rule id of card numbers. */
  public static final String RULE_ID = "credit-card";

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public int minDigits() {
    // card numbers have 13 to 19 digits
    return 13;
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
    int[] digits = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!Chars.isDigit(c) || c == '0' || c > '6' || !startsNumber(text, i)) {
        continue;
      }
      if (digits == null) {
        digits = new int[19];
      }
      int end = scan(text, i, digits);
      if (end > 0) {
        out.add(i, end);
        i = end;
      }
    }
  }

  private static boolean startsNumber(CharSequence text, int i) {
    if (i == 0) {
      return true;
    }
    char before = text.charAt(i - 1);
    return !Chars.isWord(before) && before != '.' && before != '-' && before != '+';
  }

  /** End of a valid card number starting at {@code start}, or -1. */
  private static int scan(CharSequence text, int start, int[] digits) {
    int n = text.length();
    int count = 0;
    char separator = 0;
    int i = start;
    int end = -1;
    while (i < n && count < 19) {
      char c = text.charAt(i);
      if (Chars.isDigit(c)) {
        digits[count++] = c - '0';
        i++;
        if (count >= 13 && (i >= n || !Chars.isDigit(text.charAt(i)))) {
          if (validEnd(text, i) && valid(digits, count)) {
            end = i;
          }
        }
      } else if ((c == ' ' || c == '-') && i + 1 < n && Chars.isDigit(text.charAt(i + 1))) {
        if (separator != 0 && separator != c) {
          break;
        }
        separator = c;
        i++;
      } else {
        break;
      }
    }
    if (i < n && count == 19 && Chars.isDigit(text.charAt(i))) {
      return -1;
    }
    return end;
  }

  private static boolean validEnd(CharSequence text, int i) {
    if (i >= text.length()) {
      return true;
    }
    char c = text.charAt(i);
    return !Chars.isWord(c)
        && !(c == '.' && i + 1 < text.length() && Chars.isDigit(text.charAt(i + 1)));
  }

  private static boolean valid(int[] d, int count) {
    if (!knownIssuer(d, count)) {
      return false;
    }
    boolean allSame = true;
    for (int i = 1; i < count; i++) {
      allSame &= d[i] == d[0];
    }
    return !allSame && luhn(d, count);
  }

  private static boolean knownIssuer(int[] d, int count) {
    int two = d[0] * 10 + d[1];
    int four = two * 100 + d[2] * 10 + d[3];
    return switch (d[0]) {
      case 4 -> count == 13 || count == 16 || count == 19; // Visa
      case 5 -> two >= 51 && two <= 55 && count == 16; // Mastercard
      case 2 -> four >= 2221 && four <= 2720 && count == 16; // Mastercard 2-series
      case 3 ->
          ((two == 34 || two == 37) && count == 15) // Amex
              || (two == 35 && count >= 16) // JCB
              || ((two == 36 || two == 38 || two == 30) && count >= 14); // Diners
      case 6 -> (four == 6011 || two == 65 || (two == 64 && d[2] >= 4) || two == 62) && count >= 16;
      default -> false;
    };
  }

  /** The Luhn mod-10 check over the first {@code count} digits. */
  static boolean luhn(int[] d, int count) {
    int sum = 0;
    boolean twice = false;
    for (int i = count - 1; i >= 0; i--) {
      int v = d[i];
      if (twice) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
