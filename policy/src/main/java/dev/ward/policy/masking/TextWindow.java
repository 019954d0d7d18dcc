package dev.ward.policy.masking;

/** A view of part of a text, so detectors can run on a window without copying it. */
final class TextWindow implements CharSequence {
  /** How far a window edge is moved to reach the edge of a token. */
  private static final int MAX_EDGE_SHIFT = 512;

  private final CharSequence text;
  private final int start;
  private final int end;

  TextWindow(CharSequence text, int start, int end) {
    this.text = text;
    this.start = start;
    this.end = end;
  }

  @Override
  public int length() {
    return end - start;
  }

  @Override
  public char charAt(int index) {
    return text.charAt(start + index);
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    return text.subSequence(start + from, start + to);
  }

  @Override
  public String toString() {
    return text.subSequence(start, end).toString();
  }

  /**
   * {@code position} moved back onto the separator before the token it falls in, so an expression
   * sees its left context. Without a separator nearby, the text's start.
   */
  static int backToTokenEdge(CharSequence text, int position) {
    int limit = Math.max(0, position - MAX_EDGE_SHIFT);
    for (int p = position; p > limit; p--) {
      if (isEdge(text.charAt(p - 1))) {
        return p - 1;
      }
    }
    return 0;
  }

  /**
   * {@code position} moved forward past the separator after the token it falls in, so no token is
   * cut (a cut token would be masked only in part). Without a separator nearby, the text's end.
   */
  static int forwardToTokenEdge(CharSequence text, int position) {
    int n = text.length();
    int limit = Math.min(n, position + MAX_EDGE_SHIFT);
    for (int p = position; p < limit; p++) {
      if (isEdge(text.charAt(p))) {
        return p + 1;
      }
    }
    return n;
  }

  private static boolean isEdge(char c) {
    return switch (c) {
      case ' ',
          '\n',
          '\r',
          '\t',
          '"',
          '\'',
          '`',
          ',',
          ';',
          '<',
          '>',
          '(',
          ')',
          '{',
          '}',
          '[',
          ']' ->
          true;
      default -> false;
    };
  }
}
