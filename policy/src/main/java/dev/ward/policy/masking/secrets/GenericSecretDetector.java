package dev.ward.policy.masking.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.Entropy;
import dev.ward.policy.masking.Findings;
import java.util.List;
import java.util.Locale;

/**
 * A value assigned to a name that says it is secret ({@code password=}, {@code secret:}, {@code
 * "api_key":}, {@code DB_TOKEN=}), masked only when it looks random: long enough, not a
 * placeholder, not an identifier, and above an entropy threshold. That keeps {@code
 * password=changeme} and {@code ${PASSWORD}} readable while real secrets are masked.
 */
public final class GenericSecretDetector implements Detector {
  /** Rule id of generic assignments. */
  public static final String RULE_ID = "generic-secret";

  /** Default entropy threshold in bits per character. */
  public static final double DEFAULT_MIN_ENTROPY = 3.0;

  private static final int MIN_LENGTH = 8;

  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.\\-]{0,40}(?:passw(?:or)?d|pwd|secret|token|api[_\\-]?key|access[_\\-]?key"
              + "|auth[_\\-]?key|credentials?|private[_\\-]?key)[A-Za-z0-9_.\\-]{0,40})"
              + "[\"'`]?\\s{0,3}(?::=|=>|=|:)\\s{0,3}[\"'`]?"
              + "([^\\s\"'`,;&<>{}()\\[\\]|\\\\]{1,256})");

  /** Names that talk about a secret without holding one, e.g. {@code token_url}. */
  private static final List<String> DESCRIPTIVE_SUFFIXES =
      List.of(
          "_id",
          "-id",
          "id",
          "_url",
          "_uri",
          "url",
          "uri",
          "endpoint",
          "_name",
          "name",
          "_length",
          "length",
          "_size",
          "size",
          "_type",
          "type",
          "_file",
          "file",
          "_path",
          "path",
          "_hash",
          "hash",
          "_field",
          "field",
          "_header",
          "header",
          "_policy",
          "policy",
          "_expiry",
          "expiry",
          "_expires",
          "expires",
          "expiresat",
          "_at",
          "count",
          "_count",
          "max",
          "min",
          "prompt",
          "_ttl",
          "ttl");

  private final double minEntropy;

  /** A detector with the given entropy threshold (bits per character). */
  public GenericSecretDetector(double minEntropy) {
    this.minEntropy = minEntropy;
  }

  @Override
  public String ruleId() {
    return RULE_ID;
  }

  @Override
  public List<String> keywords() {
    return List.of(
        "passw",
        "pwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "api-key",
        "access_key",
        "accesskey",
        "access-key",
        "auth_key",
        "authkey",
        "credential",
        "private_key",
        "privatekey",
        "private-key");
  }

  @Override
  public int priority() {
    return Priority.GENERIC;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    Matcher m = ASSIGNMENT.matcher(text);
    while (m.find()) {
      if (isDescriptiveName(text.subSequence(m.start(1), m.end(1)))) {
        continue;
      }
      int start = m.start(2);
      int end = m.end(2);
      if (looksSecret(text, start, end)) {
        out.add(start, end);
      }
    }
  }

  /** Whether a value assigned to a secret-sounding name looks like a real secret. */
  public boolean looksSecret(CharSequence text, int start, int end) {
    if (end - start < MIN_LENGTH) {
      return false;
    }
    CharSequence value = text.subSequence(start, end);
    if (Placeholders.isPlaceholder(value) || isIdentifier(value)) {
      return false;
    }
    return Entropy.bitsPerChar(text, start, end) >= minEntropy;
  }

  /** Whether a key name (as in a JSON object) says its value is a secret. */
  public static boolean isSecretName(CharSequence name) {
    String lower = name.toString().toLowerCase(Locale.ROOT);
    boolean secretish =
        lower.contains("passw")
            || lower.equals("pwd")
            || lower.endsWith("_pwd")
            || lower.contains("secret")
            || lower.contains("token")
            || lower.replace("-", "_").contains("api_key")
            || lower.contains("apikey")
            || lower.replace("-", "_").contains("access_key")
            || lower.contains("accesskey")
            || lower.contains("credential")
            || lower.replace("-", "_").contains("private_key");
    return secretish && !isDescriptiveName(lower);
  }

  private static boolean isDescriptiveName(CharSequence name) {
    String lower = name.toString().toLowerCase(Locale.ROOT);
    for (String suffix : DESCRIPTIVE_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Letters, dots, dashes and underscores only: a variable or property name, not a secret. */
  private static boolean isIdentifier(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean identifierChar =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-';
      if (!identifierChar) {
        return false;
      }
    }
    return true;
  }
}
