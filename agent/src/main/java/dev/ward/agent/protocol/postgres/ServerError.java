package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;

/**
 * The fields of an ErrorResponse or NoticeResponse that Ward records.
 *
 * @param severity the non-localised severity (ERROR, FATAL, PANIC, …)
 * @param sqlstate the SQLSTATE code
 * @param message the primary message
 */
record ServerError(String severity, String sqlstate, String message) {

  static ServerError parse(Buffer message, Charset charset) {
    String severity = "";
    String localSeverity = "";
    String code = "";
    String text = "";
    int pos = 5;
    while (pos < message.length()) {
      byte field = message.getByte(pos++);
      if (field == 0) {
        break;
      }
      int end = Wire.endOfString(message, pos);
      switch (field) {
        case 'V' -> severity = new String(message.getBytes(pos, end), charset);
        case 'S' -> localSeverity = new String(message.getBytes(pos, end), charset);
        case 'C' -> code = new String(message.getBytes(pos, end), charset);
        case 'M' -> text = new String(message.getBytes(pos, end), charset);
        default -> {}
      }
      pos = end + 1;
    }
    return new ServerError(severity.isEmpty() ? localSeverity : severity, code, text);
  }

  boolean fatal() {
    return "FATAL".equals(severity) || "PANIC".equals(severity);
  }
}
