package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;
import java.util.Map;

/**
 * International bank account numbers: country code, check digits and account part, written solid or
 * in groups of four, with the country's length and a valid ISO 7064 mod-97 check.
 */
public final class IbanDetector implements Detector {
  /** Rule id of IBANs. */
  public static final String RULE_ID = "iban";

  /** IBAN lengths of the countries that use them most; others are accepted between 15 and 34. */
  private static final Map<String, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry("AT", 20),
          Map.entry("BE", 16),
          Map.entry("CH", 21),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GR", 27),
          Map.entry("IE", 22),
          Map.entry("IT", 27),
          Map.entry("LU", 20),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PL", 28),
          Map.entry("PT", 25),
          Map.entry("SE", 24),
          Map.entry("SK", 24),
          Map.entry("HU", 28),
          Map.entry("RO", 24),
          Map.entry("BG", 22),
          Map.entry("HR", 21),
          Map.entry("SI", 19),
          Map.entry("EE", 20),
          Map.entry("LT", 20),
          Map.entry("LV", 21),
          Map.entry("MT", 31),
          Map.entry("CY", 28),
          Map.entry("IS", 26),
          Map.entry("LI", 21),
          Map.entry("MC", 27),
          Map.entry("SM", 27),
          Map.entry("TR", 26),
          Map.entry("SA", 24),
          Map.entry("AE", 23),
          Map.entry("IL", 23),
          Map.entry("BR", 29),
          Map.entry("UA", 29));

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
    for (int i = 0; i + 15 <= n; i++) {
      if (!Chars.isUpper(text.charAt(i))
          || !Chars.isUpper(text.charAt(i + 1))
          || !Chars.isDigit(text.charAt(i + 2))
          || !Chars.isDigit(text.charAt(i + 3))
          || !Chars.boundaryBefore(text, i)) {
        continue;
      }
      int end = scan(text, i);
      if (end > 0) {
        out.add(i, end);
        i = end;
      }
    }
  }

  private static int scan(CharSequence text, int start) {
    int n = text.length();
    StringBuilder compact = new StringBuilder(34);
    int i = start;
    int lastGroupEnd = -1;
    while (i < n && compact.length() < 34) {
      char c = text.charAt(i);
      if (Chars.isUpper(c) || Chars.isDigit(c)) {
        compact.append(c);
        i++;
      } else if (c == ' '
          && compact.length() % 4 == 0
          && i + 1 < n
          && isAlnumUpper(text.charAt(i + 1))) {
        lastGroupEnd = i;
        i++;
      } else {
        break;
      }
    }
    if (!Chars.boundaryAt(text, i)) {
      if (lastGroupEnd < 0) {
        return -1;
      }
      // grouped IBAN followed by a word: stop at the last group boundary
      compact.setLength(countUntil(text, start, lastGroupEnd));
      i = lastGroupEnd;
    }
    String iban = compact.toString();
    Integer expected = LENGTHS.get(iban.substring(0, 2));
    if (expected != null ? iban.length() != expected : iban.length() < 15) {
      return -1;
    }
    return mod97(iban) == 1 ? i : -1;
  }

  private static int countUntil(CharSequence text, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if (text.charAt(i) != ' ') {
        count++;
      }
    }
    return count;
  }

  private static boolean isAlnumUpper(char c) {
    return Chars.isUpper(c) || Chars.isDigit(c);
  }

  /** ISO 7064 mod 97-10 over the rearranged IBAN. */
  static int mod97(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      int value = Chars.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
    }
    return remainder;
  }
}
