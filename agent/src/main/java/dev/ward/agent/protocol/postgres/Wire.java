package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Reading the primitive fields of PostgreSQL messages, bounded by the message. */
final class Wire {

  private Wire() {}

  /** The offset of the NUL that ends the C string starting at {@code from}. */
  static int endOfString(Buffer message, int from) {
    int end = message.length();
    for (int i = from; i < end; i++) {
      if (message.getByte(i) == 0) {
        return i;
      }
    }
    throw new ProtocolViolation("unterminated string in message");
  }

  /** The C string at {@code from}, decoded with the charset. */
  static String string(Buffer message, int from, Charset charset) {
    int end = endOfString(message, from);
    return new String(message.getBytes(from, end), charset);
  }

  static String string(Buffer message, int from) {
    return string(message, from, StandardCharsets.UTF_8);
  }

  /** Checks that {@code length} bytes are left at {@code offset}. */
  static void require(Buffer message, int offset, int length) {
    if (length < 0 || offset < 0 || offset > message.length() - length) {
      throw new ProtocolViolation("message is shorter than its fields");
    }
  }

  static void appendString(Buffer out, String s) {
    out.appendBytes(s.getBytes(StandardCharsets.UTF_8)).appendByte((byte) 0);
  }

  /** Starts a typed message; {@link #finish} writes the length. */
  static Buffer begin(char type) {
    return Buffer.buffer(64).appendByte((byte) type).appendInt(0);
  }

  static Buffer finish(Buffer message) {
    message.setInt(1, message.length() - 1);
    return message;
  }
}
