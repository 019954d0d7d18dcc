package dev.ward.agent.protocol.http;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the Ward grant in an HTTP request: the token of {@code Authorization: Bearer}, or the
 * password of {@code Authorization: Basic} (what Git sends for {@code https://user:grant@host/}),
 * or, without an {@code Authorization} header, the {@code x-api-key} header (what Anthropic-style
 * clients send).
 */
final class GrantToken {

  private GrantToken() {}

  static Optional<String> from(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization == null) {
      // Anthropic-style clients send their key as x-api-key
      String apiKey = headers.get("x-api-key");
      return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.strip());
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String scheme = value.substring(0, space);
    String credentials = value.substring(space + 1).strip();
    if (scheme.equalsIgnoreCase("Bearer")) {
      return Optional.of(credentials);
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      try {
        String decoded =
            new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
