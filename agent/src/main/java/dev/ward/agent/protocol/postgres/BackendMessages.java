package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/** The server-side messages the agent writes to clients itself. */
final class BackendMessages {

  private BackendMessages() {}

  static final Buffer SSL_ACCEPTED = Buffer.buffer(new byte[] {'S'});
  static final Buffer SSL_DECLINED = Buffer.buffer(new byte[] {'N'});

  static Buffer authenticationCleartextPassword() {
    return Buffer.buffer(9).appendByte((byte) 'R').appendInt(8).appendInt(3);
  }

  static Buffer authenticationOk() {
    return Buffer.buffer(9).appendByte((byte) 'R').appendInt(8).appendInt(0);
  }

  static Buffer backendKeyData(int processId, int secretKey) {
    return Buffer.buffer(13)
        .appendByte((byte) 'K')
        .appendInt(12)
        .appendInt(processId)
        .appendInt(secretKey);
  }

  static Buffer readyForQuery(char status) {
    return Buffer.buffer(6).appendByte((byte) 'Z').appendInt(5).appendByte((byte) status);
  }

  /**
   * An ErrorResponse.
   *
   * @param severity ERROR or FATAL
   * @param sqlstate the five-character SQLSTATE
   * @param hint what the user can do next; may be empty
   */
  static Buffer error(String severity, String sqlstate, String message, String hint) {
    Buffer b = Wire.begin('E');
    b.appendByte((byte) 'S');
    Wire.appendString(b, severity);
    b.appendByte((byte) 'V');
    Wire.appendString(b, severity);
    b.appendByte((byte) 'C');
    Wire.appendString(b, sqlstate);
    b.appendByte((byte) 'M');
    Wire.appendString(b, message);
    if (hint != null && !hint.isEmpty()) {
      b.appendByte((byte) 'H');
      Wire.appendString(b, hint);
    }
    b.appendByte((byte) 0);
    return Wire.finish(b);
  }

  /** Whether an ErrorResponse (type byte and length included) has severity FATAL or PANIC. */
  static boolean isFatal(Buffer message) {
    int at = 5;
    int end = message.length();
    while (at < end && message.getByte(at) != 0) {
      byte code = message.getByte(at++);
      int start = at;
      while (at < end && message.getByte(at) != 0) {
        at++;
      }
      if (code == 'S' || code == 'V') {
        String severity = message.getString(start, at, "US-ASCII");
        return severity.equals("FATAL") || severity.equals("PANIC");
      }
      at++;
    }
    return false;
  }

  /** A NoticeResponse (severity NOTICE, SQLSTATE 00000) with a message and a hint. */
  static Buffer notice(String message, String hint) {
    Buffer b = Wire.begin('N');
    b.appendByte((byte) 'S');
    Wire.appendString(b, "NOTICE");
    b.appendByte((byte) 'V');
    Wire.appendString(b, "NOTICE");
    b.appendByte((byte) 'C');
    Wire.appendString(b, "00000");
    b.appendByte((byte) 'M');
    Wire.appendString(b, message);
    if (hint != null && !hint.isEmpty()) {
      b.appendByte((byte) 'H');
      Wire.appendString(b, hint);
    }
    b.appendByte((byte) 0);
    return Wire.finish(b);
  }

  /** Tells a client asking for protocol 3.x (x > 0) or {@code _pq_} options what we speak. */
  static Buffer negotiateProtocolVersion(int minor, List<String> unrecognized) {
    Buffer b = Wire.begin('v').appendInt(minor).appendInt(unrecognized.size());
    unrecognized.forEach(o -> Wire.appendString(b, o));
    return Wire.finish(b);
  }
}
