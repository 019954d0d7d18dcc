package dev.ward.agent.protocol.http;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The real upstream credential of a connection and how it is sent, so the client never holds it.
 * The style is the connection's {@code credential_style}: {@code bearer} (the default), {@code
 * basic} (the connection's username and the secret) or {@code header:<Name>}.
 */
public final class UpstreamCredential {

  /** No credential: the upstream needs none. */
  public static final UpstreamCredential NONE = new UpstreamCredential(null, null);

  private final String header;
  private final String value;

  private UpstreamCredential(String header, String value) {
    this.header = header;
    this.value = value;
  }

  /** Checks a credential style, failing with what is wrong with it. */
  public static void check(String style) {
    String s = style == null ? "" : style;
    if (s.isEmpty() || s.equals("bearer") || s.equals("basic")) {
      return;
    }
    if (s.startsWith("header:") && s.length() > 7 && s.substring(7).matches("[A-Za-z0-9-]+")) {
      return;
    }
    throw new IllegalArgumentException(
        "credential_style must be bearer, basic or header:<Name>, got '" + style + "'");
  }

  /** The credential of one style, username and secret. */
  public static UpstreamCredential of(String style, String username, String secret) {
    check(style);
    String s = style == null || style.isEmpty() ? "bearer" : style;
    return switch (s) {
      case "bearer" -> new UpstreamCredential("Authorization", "Bearer " + secret);
      case "basic" ->
          new UpstreamCredential(
              "Authorization",
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8)));
      default -> new UpstreamCredential(s.substring(7), secret);
    };
  }

  /** Sets the credential on upstream request headers. */
  public void apply(MultiMap headers) {
    if (header != null) {
      headers.set(header, value);
    }
  }

  /** The header that carries the credential, lower case, or empty when there is none. */
  public String headerName() {
    return header == null ? "" : header.toLowerCase(Locale.ROOT);
  }
}
