package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** The client-side messages the agent writes to upstreams itself. */
final class FrontendMessages {

  static final int PROTOCOL_3_0 = 196608;
  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;

  private FrontendMessages() {}

  static Buffer sslRequest() {
    return Buffer.buffer(8).appendInt(8).appendInt(SSL_REQUEST);
  }

  static Buffer cancelRequest(int processId, int secretKey) {
    return Buffer.buffer(16)
        .appendInt(16)
        .appendInt(CANCEL_REQUEST)
        .appendInt(processId)
        .appendInt(secretKey);
  }

  static Buffer startup(Map<String, String> parameters) {
    Buffer b = Buffer.buffer(128).appendInt(0).appendInt(PROTOCOL_3_0);
    parameters.forEach(
        (k, v) -> {
          Wire.appendString(b, k);
          Wire.appendString(b, v);
        });
    b.appendByte((byte) 0);
    return b.setInt(0, b.length());
  }

  static Buffer password(String password) {
    Buffer b = Wire.begin('p');
    Wire.appendString(b, password);
    return Wire.finish(b);
  }

  static Buffer saslInitialResponse(String mechanism, byte[] data) {
    Buffer b = Wire.begin('p');
    Wire.appendString(b, mechanism);
    b.appendInt(data.length).appendBytes(data);
    return Wire.finish(b);
  }

  static Buffer saslResponse(byte[] data) {
    return Wire.finish(Wire.begin('p').appendBytes(data));
  }

  static Buffer describePortal(String portal) {
    Buffer b = Wire.begin('D').appendByte((byte) 'P');
    Wire.appendString(b, portal);
    return Wire.finish(b);
  }

  static Buffer terminate() {
    return Buffer.buffer(5).appendByte((byte) 'X').appendInt(4);
  }
}
