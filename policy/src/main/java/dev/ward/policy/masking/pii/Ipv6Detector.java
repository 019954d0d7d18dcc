package dev.ward.policy.masking.pii;

import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Findings;
import java.util.List;

/**
 * IPv6 addresses: eight groups, or fewer with one {@code ::}, optionally ending in an IPv4 address.
 * Times ({@code 12:30:45}), MAC addresses and language scopes ({@code std::vec}) are not addresses.
 */
public final class Ipv6Detector implements Detector {
  /** Rule id of IPv6 addresses. */
  public static final String RULE_ID = "ipv6";

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public Trigger trigger() {
    return Trigger.COLONS;
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
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (!(Chars.isHex(c) || c == ':') || !Chars.boundaryBefore(text, i)) {
        i++;
        continue;
      }
      int end = i;
      boolean colon = false;
      while (end < n && end - i < 45) {
        char e = text.charAt(end);
        if (Chars.isHex(e) || e == '.') {
          end++;
        } else if (e == ':') {
          colon = true;
          end++;
        } else {
          break;
        }
      }
      // trailing dots and single colons belong to the sentence, not the address
      while (end > i
          && (text.charAt(end - 1) == '.'
              || (text.charAt(end - 1) == ':' && (end - 2 < i || text.charAt(end - 2) != ':')))) {
        end--;
      }
      if (colon && Chars.boundaryAt(text, end) && valid(text, i, end)) {
        out.add(i, end);
      }
      i = Math.max(end, i + 1);
    }
  }

  /** Whether {@code text[start, end)} is a plausible IPv6 address. */
  static boolean valid(CharSequence text, int start, int end) {
    String s = text.subSequence(start, end).toString();
    if (s.equals("::1")) {
      return true;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    int hexDigits = 0;
    for (int p = 0; p < parts.length; p++) {
      String part = parts[p];
      if (part.isEmpty()) {
        continue;
      }
      if (part.indexOf('.') >= 0) {
        if (p != parts.length - 1 || Ipv4Detector.parse(part, 0) != part.length()) {
          return false;
        }
        groups += 2;
        hexDigits += 8;
        continue;
      }
      if (part.length() > 4) {
        return false;
      }
      for (int k = 0; k < part.length(); k++) {
        if (!Chars.isHex(part.charAt(k))) {
          return false;
        }
      }
      groups++;
      hexDigits += part.length();
    }
    if (doubleColon < 0) {
      if (groups != 8 || parts.length != (s.indexOf('.') >= 0 ? 7 : 8)) {
        return false;
      }
    } else if (groups > 7) {
      return false;
    } else {
      // "a::b" in code is a scope, not an address; demand some substance
      if (groups < 3 && hexDigits < 5) {
        return false;
      }
      if (!validEdges(s)) {
        return false;
      }
    }
    return true;
  }

  private static boolean validEdges(String s) {
    boolean leadingSingle = s.startsWith(":") && !s.startsWith("::");
    boolean trailingSingle = s.endsWith(":") && !s.endsWith("::");
    return !leadingSingle && !trailingSingle;
  }
}
