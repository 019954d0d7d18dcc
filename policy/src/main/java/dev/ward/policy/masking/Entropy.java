package dev.ward.policy.masking;

/** Shannon entropy of a value, the measure that tells a random secret from a word. */
public final class Entropy {
  private Entropy() {}

  /** Bits per character of {@code value[start, end)}. */
  public static double bitsPerChar(CharSequence value, int start, int end) {
    int n = end - start;
    if (n <= 0) {
      return 0;
    }
    int[] ascii = new int[128];
    int other = 0;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c < 128) {
        ascii[c]++;
      } else {
        other++;
      }
    }
    double bits = 0;
    for (int count : ascii) {
      bits += term(count, n);
    }
    // non-ASCII characters are rare in secrets; counting them as one symbol keeps this cheap
    return bits + term(other, n);
  }

  /** Bits per character of the whole value. */
  public static double bitsPerChar(CharSequence value) {
    return bitsPerChar(value, 0, value.length());
  }

  private static double term(int count, int n) {
    if (count == 0) {
      return 0;
    }
    double p = (double) count / n;
    return -p * (Math.log(p) / Math.log(2));
  }
}
