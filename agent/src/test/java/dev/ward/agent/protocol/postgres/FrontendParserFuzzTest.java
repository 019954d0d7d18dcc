package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Whatever bytes a client sends, the agent's PostgreSQL parsing (message framing with its length
 * bound, the startup packet, C strings and bound parameters) either yields messages or refuses them
 * with a {@link ProtocolViolation}, which the listener turns into an ErrorResponse: no other
 * exception, no hang, no allocation beyond the message bound. The same holds for the backend
 * messages the agent decodes to mask rows. Seeds sit in {@code FrontendParserFuzzTestInputs}; see
 * docs/reliability.md for the fuzzing modes.
 */
class FrontendParserFuzzTest {

  private static final int MAX_MESSAGE = 64 * 1024;
  private static final int[] TYPES = {0, 16, 20, 21, 23, 25, 26, 700, 701, 1043, 3802};

  @FuzzTest(maxDuration = "5s")
  void clientBytesAreFramedAndParsedOrRefused(byte[] input) {
    MessageFramer framer = new MessageFramer(false, MAX_MESSAGE);
    int[] delivered = {0};
    try {
      // the same bytes split into reads of varying sizes must frame the same way
      int step = input.length == 0 ? 1 : 1 + (input[0] & 0x3f);
      for (int pos = 0; pos < input.length; pos += step) {
        Buffer chunk = Buffer.buffer().appendBytes(input, pos, Math.min(step, input.length - pos));
        framer.feed(
            chunk,
            (type, message) -> {
              assertThat(message.length()).isLessThanOrEqualTo(MAX_MESSAGE + 1);
              if (delivered[0]++ == 0) {
                StartupRequest.parse(message);
                framer.typed(true);
              } else {
                frontendMessage(type, message);
              }
              return true;
            });
      }
    } catch (ProtocolViolation refused) {
      // answered with an ErrorResponse and the session closed
    }
  }

  @FuzzTest(maxDuration = "5s")
  void upstreamRowsAreDecodedOrRefused(FuzzedDataProvider data) {
    byte type = data.consumeBoolean() ? (byte) 'T' : (byte) 'D';
    byte[] body = data.consumeRemainingAsBytes();
    Buffer message = Buffer.buffer().appendByte(type).appendInt(body.length + 4).appendBytes(body);
    try {
      if (type == 'T') {
        RowDescription.parse(message, StandardCharsets.UTF_8);
      } else {
        DataRowValues row = DataRowValues.decode(message, StandardCharsets.UTF_8);
        // an unchanged row is re-encoded byte for byte when its fields fill the message
        Buffer again = row.encode();
        assertThat(again.length()).isLessThanOrEqualTo(message.length());
      }
    } catch (ProtocolViolation refused) {
      // answered with an ErrorResponse and the session closed
    }
  }

  /** Reads the fields of the messages the relay inspects, as bounded by the message. */
  private static void frontendMessage(byte type, Buffer message) {
    switch (type) {
      case 'Q' -> Wire.string(message, 5, StandardCharsets.UTF_8);
      case 'P' -> {
        int nameEnd = Wire.endOfString(message, 5);
        int textEnd = Wire.endOfString(message, nameEnd + 1);
        Wire.require(message, textEnd + 1, 2);
        int count = message.getUnsignedShort(textEnd + 1);
        Wire.require(message, textEnd + 3, count * 4);
      }
      case 'B' -> parameters(message);
      case 'D', 'C' -> {
        Wire.require(message, 5, 1);
        Wire.string(message, 6, StandardCharsets.UTF_8);
      }
      default -> {}
    }
  }

  /** Each parameter value of a Bind, described as the recording shows it. */
  private static void parameters(Buffer message) {
    int pos = Wire.endOfString(message, Wire.endOfString(message, 5) + 1) + 1;
    Wire.require(message, pos, 2);
    int formats = message.getUnsignedShort(pos);
    pos += 2 + formats * 2;
    Wire.require(message, pos, 2);
    int count = message.getUnsignedShort(pos);
    pos += 2;
    for (int i = 0; i < count; i++) {
      Wire.require(message, pos, 4);
      int length = message.getInt(pos);
      pos += 4;
      if (length < -1) {
        throw new ProtocolViolation("invalid parameter length in Bind");
      }
      if (length >= 0) {
        Wire.require(message, pos, length);
      }
      String shown =
          BoundParameter.describe(
              message, pos, length, (i & 1) == 1, TYPES[i % TYPES.length], StandardCharsets.UTF_8);
      assertThat(shown.length()).isLessThanOrEqualTo(StatementTracker.MAX_PARAMETER * 4 + 64);
      pos += Math.max(0, length);
    }
  }
}
