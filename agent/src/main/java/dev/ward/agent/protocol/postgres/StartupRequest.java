package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first message of a client: a startup packet with its parameters, or one of the special
 * requests (SSL, GSS encryption, cancel) identified by their codes.
 *
 * @param code the protocol version or request code
 * @param parameters startup parameters in the order sent (empty for special requests)
 * @param message the whole message, for reading the fields of a cancel request
 */
record StartupRequest(int code, Map<String, String> parameters, Buffer message) {

  static final int MAX_PARAMETERS = 64;

  static StartupRequest parse(Buffer message) {
    int code = message.getInt(4);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (code >>> 16 == 3) {
      int pos = 8;
      while (pos < message.length() && message.getByte(pos) != 0) {
        int keyEnd = Wire.endOfString(message, pos);
        int valueEnd = Wire.endOfString(message, keyEnd + 1);
        if (parameters.size() >= MAX_PARAMETERS) {
          throw new ProtocolViolation("too many startup parameters");
        }
        parameters.put(
            new String(message.getBytes(pos, keyEnd), StandardCharsets.UTF_8),
            new String(message.getBytes(keyEnd + 1, valueEnd), StandardCharsets.UTF_8));
        pos = valueEnd + 1;
      }
      if (pos >= message.length()) {
        throw new ProtocolViolation("startup packet is not terminated");
      }
    }
    return new StartupRequest(code, parameters, message);
  }

  boolean isProtocol3() {
    return code >>> 16 == 3;
  }

  int minorVersion() {
    return code & 0xFFFF;
  }
}
