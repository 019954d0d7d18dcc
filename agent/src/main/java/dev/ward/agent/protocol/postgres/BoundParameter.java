package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.util.HexFormat;

/** How a bound parameter appears in a recording: text as sent, binary as bounded hex, NULL. */
final class BoundParameter {

  static final int MAX_BINARY_SHOWN = 64;

  private BoundParameter() {}

  static String describe(Buffer message, int offset, int length, boolean binary, Charset charset) {
    if (length < 0) {
      return "NULL";
    }
    if (!binary) {
      int shown = Math.min(length, StatementTracker.MAX_PARAMETER * 4);
      String text = new String(message.getBytes(offset, offset + shown), charset);
      return StatementTracker.bounded(text, StatementTracker.MAX_PARAMETER);
    }
    int shown = Math.min(length, MAX_BINARY_SHOWN);
    String hex = "\\x" + HexFormat.of().formatHex(message.getBytes(offset, offset + shown));
    return shown < length ? hex + "… (" + length + " bytes)" : hex;
  }
}
