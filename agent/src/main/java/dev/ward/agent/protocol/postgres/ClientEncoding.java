package dev.ward.agent.protocol.postgres;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Maps a PostgreSQL {@code client_encoding} to the Java charset for decoding statement text. */
final class ClientEncoding {

  private ClientEncoding() {}

  static Charset charset(String clientEncoding) {
    String name = clientEncoding == null ? "" : clientEncoding.toUpperCase(Locale.ROOT);
    return switch (name) {
      case "LATIN1" -> StandardCharsets.ISO_8859_1;
      case "SQL_ASCII" -> StandardCharsets.ISO_8859_1;
      case "WIN1252" -> Charset.forName("windows-1252");
      case "LATIN9" -> Charset.forName("ISO-8859-15");
      default -> StandardCharsets.UTF_8;
    };
  }
}
