package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFramerTest {

  private static Buffer query(String sql) {
    Buffer b = Buffer.buffer().appendByte((byte) 'Q').appendInt(0);
    b.appendString(sql).appendByte((byte) 0);
    return b.setInt(1, b.length() - 1);
  }

  @Test
  void messagesSplitAcrossReadsAreDeliveredWhole() {
    Buffer stream = query("select 1").appendBuffer(query("select 2")).appendBuffer(query("x"));
    List<String> seen = new ArrayList<>();
    MessageFramer framer = new MessageFramer(true, 1024);
    for (int i = 0; i < stream.length(); i += 3) {
      framer.feed(
          stream.getBuffer(i, Math.min(stream.length(), i + 3)),
          (type, m) -> seen.add((char) type + Wire.string(m, 5)));
    }
    assertThat(seen).containsExactly("Qselect 1", "Qselect 2", "Qx");
    assertThat(framer.hasPending()).isFalse();
  }

  @Test
  void completeMessagesArePassedOnAsTheyArrived() {
    Buffer stream = query("select 1").appendBuffer(query("select 2"));
    List<Buffer> seen = new ArrayList<>();
    new MessageFramer(true, 1024).feed(stream, (t, m) -> seen.add(m));
    assertThat(seen).hasSize(2);
    assertThat(Buffer.buffer().appendBuffer(seen.get(0)).appendBuffer(seen.get(1)))
        .isEqualTo(stream);
  }

  @Test
  void stoppingKeepsTheRestForTheNextOwner() {
    Buffer stream = query("a").appendBuffer(query("b"));
    MessageFramer framer = new MessageFramer(true, 1024);
    List<String> seen = new ArrayList<>();
    framer.feed(stream, (t, m) -> !seen.add(Wire.string(m, 5)));
    assertThat(seen).containsExactly("a");
    assertThat(framer.hasPending()).isTrue();
    framer.drain((t, m) -> seen.add(Wire.string(m, 5)));
    assertThat(seen).containsExactly("a", "b");
  }

  @Test
  void lengthsBeyondTheBoundOrBelowTheHeaderAreViolations() {
    MessageFramer framer = new MessageFramer(true, 100);
    assertThatThrownBy(
            () ->
                framer.feed(Buffer.buffer().appendByte((byte) 'Q').appendInt(101), (t, m) -> true))
        .isInstanceOf(ProtocolViolation.class);
    assertThatThrownBy(
            () ->
                new MessageFramer(true, 100)
                    .feed(Buffer.buffer().appendByte((byte) 'Q').appendInt(3), (t, m) -> true))
        .isInstanceOf(ProtocolViolation.class);
  }
}
