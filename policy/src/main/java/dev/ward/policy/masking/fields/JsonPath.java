package dev.ward.policy.masking.fields;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON path subset policies use to pick values: {@code $} then {@code .name}, {@code ['name']},
 * {@code .*}, {@code [*]}, {@code [3]} and {@code ..name} / {@code ..*} (any depth). For example
 * {@code $.user.api_key}, {@code $..api_key}, {@code $.items[*].email}.
 */
public final class JsonPath {
  private static final int MAX_LENGTH = 1024;

  private sealed interface Step {}

  private record Name(String name, boolean anyDepth) implements Step {}

  private record Wildcard(boolean anyDepth) implements Step {}

  private record Index(int index) implements Step {}

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException naming the problem and its position
   */
  public static JsonPath parse(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '$') {
      throw new IllegalArgumentException("a JSON path starts with '$'");
    }
    if (path.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("JSON path longer than " + MAX_LENGTH + " characters");
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        boolean anyDepth = i + 1 < path.length() && path.charAt(i + 1) == '.';
        i += anyDepth ? 2 : 1;
        if (i < path.length() && path.charAt(i) == '*') {
          steps.add(new Wildcard(anyDepth));
          i++;
          continue;
        }
        if (anyDepth && i < path.length() && path.charAt(i) == '[') {
          i = bracket(path, i, steps, true);
          continue;
        }
        int start = i;
        while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
          i++;
        }
        if (i == start) {
          throw new IllegalArgumentException("empty name at position " + start + " of " + path);
        }
        steps.add(new Name(path.substring(start, i), anyDepth));
      } else if (c == '[') {
        i = bracket(path, i, steps, false);
      } else {
        throw new IllegalArgumentException(
            "unexpected '" + c + "' at position " + i + " of " + path + "; expected '.' or '['");
      }
    }
    return new JsonPath(path, List.copyOf(steps));
  }

  private static int bracket(String path, int open, List<Step> steps, boolean anyDepth) {
    int close = path.indexOf(']', open);
    if (close < 0) {
      throw new IllegalArgumentException("unclosed '[' at position " + open + " of " + path);
    }
    String inside = path.substring(open + 1, close).trim();
    if (inside.equals("*")) {
      steps.add(new Wildcard(anyDepth));
    } else if (inside.length() >= 2
        && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
        && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
      steps.add(new Name(inside.substring(1, inside.length() - 1), anyDepth));
    } else {
      try {
        int index = Integer.parseInt(inside);
        if (index < 0 || anyDepth) {
          throw new NumberFormatException();
        }
        steps.add(new Index(index));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'["
                + inside
                + "]' at position "
                + open
                + " of "
                + path
                + " is not [*], ['name'] or a non-negative index");
      }
    }
    return close + 1;
  }

  /**
   * Whether the concrete location {@code segments} (names as {@link String}, array positions as
   * {@link Integer}) is selected by this path.
   */
  public boolean matches(List<Object> segments) {
    return match(0, segments, 0);
  }

  private boolean match(int step, List<Object> segments, int at) {
    if (step == steps.size()) {
      return at == segments.size();
    }
    if (at == segments.size()) {
      return false;
    }
    Step s = steps.get(step);
    boolean anyDepth =
        (s instanceof Name n && n.anyDepth()) || (s instanceof Wildcard w && w.anyDepth());
    if (anyDepth) {
      for (int k = at; k < segments.size(); k++) {
        if (accepts(s, segments.get(k)) && match(step + 1, segments, k + 1)) {
          return true;
        }
      }
      return false;
    }
    return accepts(s, segments.get(at)) && match(step + 1, segments, at + 1);
  }

  private static boolean accepts(Step step, Object segment) {
    return switch (step) {
      case Name n -> n.name().equals(segment);
      case Wildcard w -> true;
      case Index i -> segment instanceof Integer k && k == i.index();
    };
  }

  /** Renders a concrete location, e.g. {@code $.items[3].email}. */
  public static String render(List<Object> segments) {
    StringBuilder b = new StringBuilder("$");
    for (Object s : segments) {
      if (s instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        String name = (String) s;
        if (isPlainName(name)) {
          b.append('.').append(name);
        } else {
          b.append("['").append(name.replace("'", "\\'")).append("']");
        }
      }
    }
    return b.toString();
  }

  private static boolean isPlainName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
