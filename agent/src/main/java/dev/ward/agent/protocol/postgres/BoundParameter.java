package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.util.HexFormat;

/** How a bound parameter appears in a recording: text as sent, binary as bounded hex, NULL. */
final class BoundParameter {

  static final int MAX_BINARY_SHOWN = 64;

  private BoundParameter() {}

  /**
   * @param typeOid the parameter's type from Parse; common binary types (bool, integers, floats)
   *     are shown as text, others as hex
   */
  static String describe(
      Buffer message, int offset, int length, boolean binary, int typeOid, Charset charset) {
    if (length < 0) {
      return "NULL";
    }
    if (!binary) {
      int shown = Math.min(length, StatementTracker.MAX_PARAMETER * 4);
      String text = new String(message.getBytes(offset, offset + shown), charset);
      return StatementTracker.bounded(text, StatementTracker.MAX_PARAMETER);
    }
    String known = binaryAsText(message, offset, length, typeOid);
    if (known != null) {
      return known;
    }
    int shown = Math.min(length, MAX_BINARY_SHOWN);
    String hex = "\\x" + HexFormat.of().formatHex(message.getBytes(offset, offset + shown));
    return shown < length ? hex + "… (" + length + " bytes)" : hex;
  }

  private static String binaryAsText(Buffer m, int offset, int length, int typeOid) {
    return switch (typeOid) {
      case 16 -> length == 1 ? (m.getByte(offset) != 0 ? "t" : "f") : null;
      case 21 -> length == 2 ? String.valueOf(m.getShort(offset)) : null;
      case 23, 26 -> length == 4 ? String.valueOf(m.getInt(offset)) : null;
      case 20 -> length == 8 ? String.valueOf(m.getLong(offset)) : null;
      case 700 -> length == 4 ? String.valueOf(m.getFloat(offset)) : null;
      case 701 -> length == 8 ? String.valueOf(m.getDouble(offset)) : null;
      default -> null;
    };
  }
}
