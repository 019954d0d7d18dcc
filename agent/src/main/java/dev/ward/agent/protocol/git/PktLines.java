package dev.ward.agent.protocol.git;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Git's pkt-line framing: four hex digits of length (including themselves), then the payload. */
final class PktLines {

  /** The flush packet that ends a section. */
  static final Buffer FLUSH = Buffer.buffer("0000");

  private static final int MAX_PAYLOAD = 65516;

  private PktLines() {}

  /** One pkt-line holding the text. */
  static Buffer line(String text) {
    return line(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** One pkt-line holding the bytes. */
  static Buffer line(Buffer payload) {
    if (payload.length() > MAX_PAYLOAD) {
      throw new IllegalArgumentException("a pkt-line holds at most " + MAX_PAYLOAD + " bytes");
    }
    return Buffer.buffer(String.format("%04x", payload.length() + 4)).appendBuffer(payload);
  }

  /**
   * The length of the pkt-line at {@code offset} including its header: 4 for flush, delimiter and
   * response-end packets; -1 when the buffer does not hold the whole header yet.
   *
   * @throws IllegalArgumentException when the header is not a pkt-line length
   */
  static int length(Buffer buffer, int offset) {
    if (buffer.length() < offset + 4) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(buffer.getByte(offset + i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("not a pkt-line");
      }
      n = n * 16 + digit;
    }
    if (n < 4) {
      return 4;
    }
    return n;
  }
}
