package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static Buffer message(char type, String body) {
    Buffer b = Buffer.buffer().appendByte((byte) type).appendInt(0).appendString(body);
    return b.setInt(1, b.length() - 1);
  }

  /** Feeds one read through a framer; the handler forwards all but the skipped types. */
  private static Outbox relay(Buffer read, String skipped, Buffer insertedBeforeE) {
    Outbox out = new Outbox();
    MessageFramer framer = new MessageFramer(true, 1 << 20);
    framer.feed(
        read,
        (type, m) -> {
          if (type == 'E' && insertedBeforeE != null) {
            out.add(insertedBeforeE);
          }
          if (skipped.indexOf(type) < 0) {
            framer.forward(m, out);
          }
          return true;
        });
    return out;
  }

  @Test
  void neighbouringForwardedMessagesLeaveAsTheReadCame() {
    Buffer read =
        message('P', "select 1")
            .appendBuffer(message('B', "b"))
            .appendBuffer(message('E', "e"))
            .appendBuffer(message('S', ""));
    Outbox out = relay(read, "", null);
    assertThat(out.isEmpty()).isFalse();
    assertThat(out.take()).isEqualTo(read);
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void theAgentsOwnMessageKeepsItsPlaceBetweenForwardedOnes() {
    Buffer describe = message('D', "P");
    Buffer read =
        message('P', "select 1").appendBuffer(message('E', "e")).appendBuffer(message('S', ""));
    Buffer expected =
        message('P', "select 1")
            .appendBuffer(describe)
            .appendBuffer(message('E', "e"))
            .appendBuffer(message('S', ""));
    assertThat(relay(read, "", describe).take()).isEqualTo(expected);
  }

  @Test
  void aHeldBackMessageLeavesAGapAndTheRestInOrder() {
    Buffer read =
        message('P', "a").appendBuffer(message('X', "held")).appendBuffer(message('S', ""));
    assertThat(relay(read, "X", null).take())
        .isEqualTo(message('P', "a").appendBuffer(message('S', "")));
  }

  @Test
  void aMessageForwardedOutsideItsDeliveryGoesAsItIs() {
    Buffer read = message('P', "a").appendBuffer(message('S', ""));
    Buffer replayed = message('Q', "select 2");
    Outbox out = new Outbox();
    MessageFramer framer = new MessageFramer(true, 1 << 20);
    framer.feed(
        read,
        (type, m) -> {
          if (type == 'S') {
            // e.g. a message held back earlier and released now, in the middle of a read
            framer.forward(replayed, out);
          }
          framer.forward(m, out);
          return true;
        });
    framer.forward(message('X', ""), out);
    assertThat(out.take())
        .isEqualTo(
            message('P', "a")
                .appendBuffer(replayed)
                .appendBuffer(message('S', ""))
                .appendBuffer(message('X', "")));
  }

  @Test
  void largeWritesAreGatheredWhole() {
    Outbox out = new Outbox();
    List<Buffer> parts = new ArrayList<>();
    Buffer expected = Buffer.buffer();
    for (int i = 0; i < 5; i++) {
      Buffer part = message('d', "x".repeat(Outbox.COPY_LIMIT / 2));
      parts.add(part);
      expected.appendBuffer(part);
      out.add(part);
    }
    assertThat(out.take()).isEqualTo(expected);
    assertThat(out.isEmpty()).isTrue();
  }
}
