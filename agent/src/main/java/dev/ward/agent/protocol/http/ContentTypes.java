package dev.ward.agent.protocol.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What kind of body a {@code Content-Type} announces, as far as masking and recording care. */
public enum ContentTypes {
  /** A JSON document: masked JSON-aware (paths, secret-named keys, every string). */
  JSON,
  /** Text: masked as free text. */
  TEXT,
  /** Server-sent events: each event's data masked as it streams. */
  EVENT_STREAM,
  /** Anything else (binary, Git packs): streamed as is and not recorded. */
  OTHER;

  /** The kind of a {@code Content-Type} header value; null is {@link #OTHER}. */
  public static ContentTypes of(String contentType) {
    if (contentType == null) {
      return OTHER;
    }
    String type = mediaType(contentType);
    if (type.equals("text/event-stream")) {
      return EVENT_STREAM;
    }
    if (type.equals("application/json") || type.endsWith("+json")) {
      return JSON;
    }
    if (type.startsWith("text/")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/x-ndjson")
        || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded")
        || type.equals("application/graphql")) {
      return TEXT;
    }
    return OTHER;
  }

  /** The media type without parameters, lower case. */
  public static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /** The charset parameter, UTF-8 when absent or unknown. */
  public static Charset charset(String contentType) {
    if (contentType == null) {
      return StandardCharsets.UTF_8;
    }
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        String name = p.substring(8).replace("\"", "").strip();
        try {
          return Charset.forName(name);
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** Whether bodies of this kind are text the agent can mask and record. */
  public boolean text() {
    return this != OTHER;
  }
}
