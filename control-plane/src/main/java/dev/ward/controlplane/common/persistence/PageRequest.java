package dev.ward.controlplane.common.persistence;

import dev.ward.controlplane.common.Problem;

/**
 * Which page of a list the caller asked for: {@code page} (from 0), {@code size} (1 to {@link
 * #MAX_SIZE}) and {@code sort} (comma-separated fields, {@code -} for descending).
 */
public record PageRequest(int page, int size, String sort) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 200;
  private static final int MAX_PAGE = 100_000;

  /** Reads the query parameters as given; a malformed one is a 400 naming it. */
  public static PageRequest of(String page, String size, String sort) {
    int p = number("page", page, 0, 0, MAX_PAGE);
    int s = number("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
    if (sort != null && sort.length() > 200) {
      throw Problem.invalidField("sort", "at most 200 characters");
    }
    return new PageRequest(p, s, sort == null || sort.isBlank() ? null : sort.trim());
  }

  /** The first page with the default size and sort. */
  public static PageRequest first() {
    return new PageRequest(0, DEFAULT_SIZE, null);
  }

  /** How many objects precede this page. */
  public int offset() {
    return page * size;
  }

  private static int number(String field, String value, int fallback, int min, int max) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below with the valid range
    }
    throw Problem.invalidField(field, "a whole number from " + min + " to " + max);
  }
}
