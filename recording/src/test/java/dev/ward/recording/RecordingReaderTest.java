package dev.ward.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.proto.recording.v1.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecordingReaderTest {

  private static final RecordingSigner AGENT =
      new RecordingSigner(RecordingSigner.generateKeyPair());

  @TempDir Path tmp;

  @Test
  void eventsComeBackInOrderAcrossSegments() throws Exception {
    TestRecordings.write(tmp, AGENT, "s-1", 3, 7, EndState.CLOSED);

    List<Event> events = new RecordingReader(new DirectorySource(tmp)).readAll(1000);

    assertThat(events).hasSize(21);
    assertThat(events).extracting(Event::getSeq).containsExactlyElementsOf(seqs(21));
    assertThat(events.get(0).getStart().getSessionId()).isEqualTo("s-1");
    assertThat(events.get(20).getEnd().getReason()).isEqualTo("normal");
  }

  @Test
  void aPageStartsAfterTheGivenSequenceNumberAndStopsAtItsSize() throws Exception {
    TestRecordings.write(tmp, AGENT, "s-1", 3, 7, EndState.CLOSED);
    RecordingReader reader = new RecordingReader(new DirectorySource(tmp));

    assertThat(reader.page(0, 5)).extracting(Event::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(reader.page(9, 6))
        .extracting(Event::getSeq)
        .containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
    assertThat(reader.page(19, 100)).extracting(Event::getSeq).containsExactly(20L, 21L);
    assertThat(reader.page(21, 100)).isEmpty();
  }

  @Test
  void payloadThatInflatesBeyondItsDeclaredLengthIsRefused() throws Exception {
    byte[] bomb = zlib(new byte[4 << 20]);
    Files.write(tmp.resolve("seg-000001.wseg"), segmentWith(100, bomb));

    assertThatThrownBy(() -> new RecordingReader(new DirectorySource(tmp)).readAll(10))
        .isInstanceOf(MalformedRecordingException.class)
        .hasMessageContaining("more than its declared");
  }

  @Test
  void declaredLengthsBeyondTheFormatLimitsAreRefusedBeforeAllocating() throws Exception {
    byte[] bytes = segmentWith(100, zlib(new byte[100]));
    ByteBuffer.wrap(bytes).putInt(headerSize() - 8, Integer.MAX_VALUE);

    assertThatThrownBy(() -> Segment.parse(bytes))
        .isInstanceOf(MalformedRecordingException.class)
        .hasMessageContaining("payload length out of range");
  }

  @Test
  void eventLengthLargerThanThePayloadIsRefused() throws Exception {
    ByteBuffer payload = ByteBuffer.allocate(8).putInt(0x7fff_0000).putInt(0);

    assertThatThrownBy(() -> EventFrames.decode(payload.flip(), 1, 1))
        .isInstanceOf(MalformedRecordingException.class)
        .hasMessageContaining("event length out of range");
  }

  @Test
  void truncatedSegmentIsRefused() throws Exception {
    TestRecordings.write(tmp, AGENT, "s-1", 1, 5, EndState.CLOSED);
    Path seg = tmp.resolve("seg-000001.wseg");
    byte[] bytes = Files.readAllBytes(seg);
    Files.write(seg, java.util.Arrays.copyOf(bytes, bytes.length - 10));

    assertThatThrownBy(() -> new RecordingReader(new DirectorySource(tmp)).readAll(10))
        .isInstanceOf(MalformedRecordingException.class);
  }

  private static List<Long> seqs(int n) {
    return java.util.stream.LongStream.rangeClosed(1, n).boxed().toList();
  }

  private static int headerSize() {
    return SegmentHeader.size(3);
  }

  /** A segment of session "s-1" whose header declares {@code declared} payload bytes. */
  private static byte[] segmentWith(int declared, byte[] compressed) {
    ByteBuffer out = ByteBuffer.allocate(headerSize() + compressed.length + 64);
    new SegmentHeader(
            "s-1",
            AGENT.keyId(),
            1,
            1,
            1,
            RecordingFormat.genesis("s-1"),
            declared,
            compressed.length)
        .writeTo(out);
    out.put(compressed);
    return out.array();
  }

  private static byte[] zlib(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream z =
        new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION))) {
      z.write(raw);
    }
    return bytes.toByteArray();
  }
}
