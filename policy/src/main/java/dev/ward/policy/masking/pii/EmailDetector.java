package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * E-mail addresses: a local part, {@code @}, and a domain with a dotted, alphabetic top-level
 * label. SSH remotes such as {@code git@github.com:org/repo} are not addresses and are skipped.
 */
public final class EmailDetector implements Detector {
  /** Rule id of e-mail addresses. */
  public static final String RULE_ID = "email";

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public List<String> keywords() {
    return List.of("@");
  }

  @Override
  public int priority() {
    return Priority.PERSONAL;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    int n = text.length();
    int searchFrom = 0;
    for (int at = indexOf(text, '@', 0); at >= 0; at = indexOf(text, '@', at + 1)) {
      int start = at;
      while (start > searchFrom && start > at - 64 && isLocal(text.charAt(start - 1))) {
        start--;
      }
      while (start < at && text.charAt(start) == '.') {
        start++;
      }
      if (start == at || text.charAt(at - 1) == '.') {
        continue;
      }
      int end = domainEnd(text, at + 1, n);
      if (end < 0) {
        continue;
      }
      if (end < n && text.charAt(end) == ':' && end + 1 < n && text.charAt(end + 1) != '/') {
        // scp-style remote: git@host:org/repo
        continue;
      }
      out.add(start, end);
      searchFrom = end;
      at = end - 1;
    }
  }

  /** End of a valid domain starting at {@code from}, or -1. */
  private static int domainEnd(CharSequence text, int from, int n) {
    int i = from;
    int labels = 0;
    int lastLabelStart = from;
    boolean lastLabelAlpha = true;
    while (i < n && i - from < 253) {
      int labelStart = i;
      boolean alpha = true;
      while (i < n
          && (Chars.isLetter(text.charAt(i))
              || Chars.isDigit(text.charAt(i))
              || text.charAt(i) == '-')) {
        if (!Chars.isLetter(text.charAt(i))) {
          alpha = false;
        }
        i++;
      }
      int len = i - labelStart;
      if (len == 0 || text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') {
        // a trailing dot ends the address ("mail me at a@b.com.")
        i = labelStart - 1;
        break;
      }
      labels++;
      lastLabelStart = labelStart;
      lastLabelAlpha = alpha;
      if (i < n && text.charAt(i) == '.' && i + 1 < n && Chars.isWord(text.charAt(i + 1))) {
        i++;
        continue;
      }
      break;
    }
    if (labels < 2 || !lastLabelAlpha || i - lastLabelStart < 2) {
      return -1;
    }
    if (i < n && (Chars.isWord(text.charAt(i)) || text.charAt(i) == '@')) {
      return -1;
    }
    return i;
  }

  private static boolean isLocal(char c) {
    return Chars.isWord(c) || c == '.' || c == '%' || c == '+' || c == '-';
  }

  private static int indexOf(CharSequence text, char c, int from) {
    if (text instanceof String s) {
      return s.indexOf(c, from);
    }
    for (int i = from, n = text.length(); i < n; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
