package dev.ward.policy.masking;

/**
 * How a detected value is replaced. Written in a policy as {@code redact}, {@code keep-last:N} or
 * {@code hmac}.
 */
public sealed interface MaskingStrategy {

  /** The replacement for {@code value}, found by rule {@code ruleId}. */
  String apply(String ruleId, CharSequence value, MaskingKey key);

  /** The strategy as written in a policy, e.g. {@code keep-last:4}; shown in the manifest. */
  String label();

  /** Replaces the value with {@code [REDACTED:<rule id>]}. */
  record Redact() implements MaskingStrategy {
    @Override
    public String apply(String ruleId, CharSequence value, MaskingKey key) {
      return "[REDACTED:" + ruleId + "]";
    }

    @Override
    public String label() {
      return "redact";
    }
  }

  /**
   * Keeps the last {@code n} characters behind four stars ({@code ****1234}). Values too short to
   * keep anything safely (at most twice {@code n}) become {@code ****}.
   */
  record KeepLast(int n) implements MaskingStrategy {
    @Override
    public String apply(String ruleId, CharSequence value, MaskingKey key) {
      if (value.length() <= 2 * n) {
        return "****";
      }
      return "****" + value.subSequence(value.length() - n, value.length());
    }

    @Override
    public String label() {
      return "keep-last:" + n;
    }
  }

  /** Replaces the value with its deterministic token ({@code tok_3f9a1c2e8b}). */
  record Hmac() implements MaskingStrategy {
    @Override
    public String apply(String ruleId, CharSequence value, MaskingKey key) {
      return key.token(value);
    }

    @Override
    public String label() {
      return "hmac";
    }
  }

  /** The most keep-last characters a policy may ask for. */
  int MAX_KEEP_LAST = 8;

  /**
   * Parses a strategy as written in a policy.
   *
   * @throws IllegalArgumentException with a message for the policy author
   */
  static MaskingStrategy parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("strategy is missing");
    }
    if (text.equals("redact")) {
      return new Redact();
    }
    if (text.equals("hmac")) {
      return new Hmac();
    }
    if (text.startsWith("keep-last:")) {
      String digits = text.substring("keep-last:".length());
      int n;
      try {
        n = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_KEEP_LAST) {
        throw new IllegalArgumentException(
            "keep-last takes a number of characters from 1 to "
                + MAX_KEEP_LAST
                + ", not '"
                + digits
                + "'");
      }
      return new KeepLast(n);
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + text + "'; use redact, keep-last:N or hmac");
  }
}
