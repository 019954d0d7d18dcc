package dev.ward.policy;

import java.util.Random;

/** Deterministic look-alike values for tests: random enough to pass entropy checks, never real. */
public final class Samples {
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String DIGITS = "0123456789";

  private Samples() {}

  public static String alnum(int n, int seed) {
    return pick(UPPER + LOWER + DIGITS, n, seed);
  }

  public static String lowerAlnum(int n, int seed) {
    return pick(LOWER + DIGITS, n, seed);
  }

  public static String upperAlnum(int n, int seed) {
    return pick(UPPER + DIGITS, n, seed);
  }

  public static String hex(int n, int seed) {
    return pick("0123456789abcdef", n, seed);
  }

  public static String letters(int n, int seed) {
    return pick(UPPER + LOWER, n, seed);
  }

  public static String digits(int n, int seed) {
    return pick("123456789", 1, seed) + pick(DIGITS, n - 1, seed + 1);
  }

  public static String base32(int n, int seed) {
    return pick(UPPER + "234567", n, seed);
  }

  public static String base64(int n, int seed) {
    return pick(UPPER + LOWER + DIGITS + "+/", n, seed);
  }

  public static String uuid(int seed) {
    return hex(8, seed)
        + "-"
        + hex(4, seed + 1)
        + "-4"
        + hex(3, seed + 2)
        + "-a"
        + hex(3, seed + 3)
        + "-"
        + hex(12, seed + 4);
  }

  private static String pick(String alphabet, int n, int seed) {
    Random random = new Random(seed * 7919L + n);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
