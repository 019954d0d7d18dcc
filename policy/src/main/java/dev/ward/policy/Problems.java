package dev.ward.policy;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one document while it is compiled. */
final class Problems {
  private final List<PolicyProblem> list = new ArrayList<>();

  void add(String pointer, String message) {
    list.add(new PolicyProblem(pointer, message));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<PolicyProblem> list() {
    return List.copyOf(list);
  }

  /** JSON pointer of {@code base} extended by segments (names escaped per RFC 6901). */
  static String pointer(String base, Object... segments) {
    StringBuilder b = new StringBuilder(base);
    for (Object s : segments) {
      b.append('/').append(String.valueOf(s).replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }
}
