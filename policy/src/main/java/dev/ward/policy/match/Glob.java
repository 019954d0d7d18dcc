package dev.ward.policy.match;

import com.google.re2j.Pattern;

/**
 * A glob as written in policies: {@code *} matches within one segment, {@code **} across segments,
 * {@code ?} one character; a trailing {@code /**} also matches its parent. Segments are separated
 * by a character that depends on what is matched ({@code /} in paths and Git refs, {@code .} in
 * table names, none in tool and connection names). Compiled to RE2/J, so matching is linear in the
 * input.
 */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /**
   * Compiles a glob.
   *
   * @param glob the pattern
   * @param separator the segment separator, or {@code 0} when {@code *} may match anything
   * @param ignoreCase whether letters match regardless of case
   */
  public static Glob compile(String glob, char separator, boolean ignoreCase) {
    StringBuilder re = new StringBuilder(glob.length() * 2);
    String one = separator == 0 ? "." : "[^" + Pattern.quote(String.valueOf(separator)) + "]";
    // "/admin/**" also covers "/admin" itself
    String anyTail = separator == 0 ? null : separator + "**";
    boolean optionalTail =
        anyTail != null && glob.endsWith(anyTail) && glob.length() > anyTail.length();
    String body = optionalTail ? glob.substring(0, glob.length() - anyTail.length()) : glob;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '*') {
        if (i + 1 < body.length() && body.charAt(i + 1) == '*') {
          re.append("(?s:.*)");
          i++;
        } else {
          re.append(one).append('*');
        }
      } else if (c == '?') {
        re.append(one);
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (optionalTail) {
      re.append("(?:").append(Pattern.quote(String.valueOf(separator))).append("(?s:.*))?");
    }
    int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    return new Glob(glob, Pattern.compile(re.toString(), flags));
  }

  /** Whether the whole input matches. */
  public boolean matches(CharSequence input) {
    return input != null && pattern.matcher(input).matches();
  }

  /** Whether the glob has no wildcard, i.e. names one thing. */
  public boolean isLiteral() {
    return text.indexOf('*') < 0 && text.indexOf('?') < 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
