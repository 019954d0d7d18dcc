package dev.ward.agent.protocol.http;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Headers as a recording keeps them: names in lower case, repeated values joined, values of
 * credential headers replaced by {@link #REDACTED}, and bounded in count and length.
 */
final class RecordedHeaders {

  static final String REDACTED = "[redacted]";

  private static final int MAX_HEADERS = 64;
  private static final int MAX_VALUE = 1024;
  private static final Set<String> SECRET_NAMES =
      Set.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "set-cookie",
          "x-api-key",
          "api-key",
          "x-auth-token",
          "x-amz-security-token",
          "private-token",
          "x-goog-api-key");
  // A header whose name holds one of these words is taken for a credential too.
  private static final String[] SECRET_WORDS = {"token", "secret", "password", "apikey", "api-key"};

  private RecordedHeaders() {}

  static Map<String, String> of(MultiMap headers, String credentialHeader) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : headers.names()) {
      if (out.size() >= MAX_HEADERS) {
        break;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(":")) {
        continue; // HTTP/2 pseudo-headers repeat the method, path and status
      }
      String value =
          secret(lower) || lower.equals(credentialHeader)
              ? REDACTED
              : String.join(", ", headers.getAll(name));
      out.put(lower, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
    }
    return out;
  }

  static boolean secret(String lowerName) {
    if (SECRET_NAMES.contains(lowerName)) {
      return true;
    }
    for (String word : SECRET_WORDS) {
      if (lowerName.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
