package dev.ward.policy.masking.secrets;

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

  /** Keywords of secret-sounding names, lower case; the scan starts from each occurrence. */
  private static final String[] NAME_KEYWORDS = {
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
    "private-key"
  };

  private static final int MAX_NAME = 96;
  private static final int MAX_VALUE = 256;

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
    return List.of(NAME_KEYWORDS);
  }

  @Override
  public int priority() {
    return Priority.GENERIC;
  }

  /**
   * Parses {@code name <op> value} around each keyword occurrence by hand (an expression with this
   * much optional context is slow on long texts): the name is the identifier holding the keyword,
   * the operator one of {@code = : := =>} with optional quotes and spaces, the value runs to the
   * next quote, space or delimiter.
   */
  @Override
  public boolean anchored() {
    return true;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (startsKeyword(text, i)) {
        i = Math.max(i, assignmentAt(text, i, out) - 1);
      }
    }
  }

  @Override
  public int detectAt(CharSequence text, int keywordEnd, Findings out) {
    for (String k : NAME_KEYWORDS) {
      int start = keywordEnd - k.length();
      if (start >= 0 && regionMatches(text, start, k)) {
        return assignmentAt(text, start, out);
      }
    }
    return keywordEnd;
  }

  /**
   * Parses the assignment whose name holds the keyword starting at {@code i}: the name is the
   * identifier holding the keyword, the operator one of {@code = : := =>} with optional quotes and
   * spaces, the value runs to the next quote, space or delimiter.
   *
   * @return where scanning may resume: past the value when there was one, else past the name
   */
  private int assignmentAt(CharSequence text, int i, Findings out) {
    int n = text.length();
    int nameStart = i;
    while (nameStart > 0 && i - nameStart < MAX_NAME && isNameChar(text.charAt(nameStart - 1))) {
      nameStart--;
    }
    int nameEnd = i;
    while (nameEnd < n && nameEnd - nameStart < MAX_NAME && isNameChar(text.charAt(nameEnd))) {
      nameEnd++;
    }
    int valueStart = valueStart(text, nameEnd);
    if (valueStart < 0) {
      return nameEnd;
    }
    int valueEnd = valueStart;
    while (valueEnd < n
        && valueEnd - valueStart < MAX_VALUE
        && isValueChar(text.charAt(valueEnd))) {
      valueEnd++;
    }
    if (isDescriptiveName(text.subSequence(nameStart, nameEnd))) {
      return nameEnd;
    }
    if (looksSecret(text, valueStart, valueEnd)) {
      out.add(valueStart, valueEnd);
    }
    return Math.max(nameEnd, valueEnd);
  }

  private static boolean startsKeyword(CharSequence text, int i) {
    char c = lower(text.charAt(i));
    if (c != 'p' && c != 's' && c != 't' && c != 'a' && c != 'c') {
      return false;
    }
    for (String k : NAME_KEYWORDS) {
      if (k.charAt(0) == c && regionMatches(text, i, k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionMatches(CharSequence text, int at, String lowerKeyword) {
    if (at + lowerKeyword.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < lowerKeyword.length(); k++) {
      if (lower(text.charAt(at + k)) != lowerKeyword.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Start of the value after a name ending at {@code i}, or -1 when no assignment follows. */
  private static int valueStart(CharSequence text, int i) {
    int n = text.length();
    int p = i;
    if (p < n && isQuote(text.charAt(p))) {
      p++;
    }
    p = skipSpaces(text, p, 3);
    if (p >= n) {
      return -1;
    }
    char c = text.charAt(p);
    if (c == '=' && p + 1 < n && text.charAt(p + 1) == '>') {
      p += 2;
    } else if (c == ':' && p + 1 < n && text.charAt(p + 1) == '=') {
      p += 2;
    } else if (c == '=' || c == ':') {
      p++;
    } else {
      return -1;
    }
    p = skipSpaces(text, p, 3);
    if (p < n && isQuote(text.charAt(p))) {
      p++;
    }
    return p < n ? p : -1;
  }

  private static int skipSpaces(CharSequence text, int p, int max) {
    int limit = Math.min(text.length(), p + max);
    while (p < limit && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  private static boolean isValueChar(char c) {
    return c > ' ' && c != '"' && c != '\'' && c != '`' && c != ',' && c != ';' && c != '&'
        && c != '<' && c != '>' && c != '{' && c != '}' && c != '(' && c != ')' && c != '['
        && c != ']' && c != '|' && c != '\\';
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
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
