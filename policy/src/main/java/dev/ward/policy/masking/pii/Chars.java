package dev.ward.policy.masking.pii;

/** Character classes shared by the personal-data scanners. */
final class Chars {
  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isWord(char c) {
    return isDigit(c) || isLetter(c) || c == '_';
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Whether the character before {@code i} (if any) can not continue a word. */
  static boolean boundaryBefore(CharSequence text, int i) {
    return i == 0 || !isWord(text.charAt(i - 1));
  }

  /** Whether the character at {@code i} (if any) can not continue a word. */
  static boolean boundaryAt(CharSequence text, int i) {
    return i >= text.length() || !isWord(text.charAt(i));
  }
}
