package dev.ward.policy.guardrails.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalises a request path before rules see it, so that {@code //admin}, {@code /./admin}, {@code
 * /x/../admin} and {@code /%61dmin} cannot slip past a rule on {@code /admin/**}: the query is
 * dropped, percent-escapes are decoded (encoded slashes included), empty and dot segments are
 * resolved.
 */
public final class RequestPath {
  /** Longest path considered; longer ones are cut (and still matched on their start). */
  public static final int MAX_LENGTH = 8192;

  private RequestPath() {}

  /** The normalised form of {@code raw} (always starting with {@code /}). */
  public static String normalize(String raw) {
    String path = raw == null ? "/" : raw;
    if (path.length() > MAX_LENGTH) {
      path = path.substring(0, MAX_LENGTH);
    }
    int query = indexOfAny(path, '?', '#');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    path = percentDecode(path).replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      b.append('/').append(s);
    }
    if (b.isEmpty() || (path.endsWith("/") && !segments.isEmpty())) {
      b.append('/');
    }
    return b.toString();
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
