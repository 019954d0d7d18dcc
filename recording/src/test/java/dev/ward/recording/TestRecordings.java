package dev.ward.recording;

import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes real recordings with the production writer, for the tests to verify and tamper with. */
public final class TestRecordings {

  private TestRecordings() {}

  static Event event(String sessionId, long seq, long lastSeq) {
    Event.Builder e = Event.newBuilder().setSeq(seq).setUnixNanos(1_700_000_000_000_000_000L + seq);
    if (seq == 1) {
      e.setStart(SessionStart.newBuilder().setSessionId(sessionId).setProtocol("postgres"));
    } else if (seq == lastSeq) {
      e.setEnd(SessionEnd.newBuilder().setReason("normal").setStatementCount(lastSeq - 2));
    } else {
      e.setStatement(
          Statement.newBuilder().setText("SELECT * FROM orders WHERE id = " + seq).setRowCount(1));
    }
    return e.build();
  }

  /** Writes {@code segments} segments of {@code perSegment} events each, and a manifest. */
  public static void write(
      Path dir,
      RecordingSigner signer,
      String sessionId,
      int segments,
      int perSegment,
      EndState endState)
      throws IOException {
    Files.createDirectories(dir);
    long lastSeq = (long) segments * perSegment;
    byte[] previous = RecordingFormat.genesis(sessionId);
    try (SegmentWriter writer = new SegmentWriter(signer)) {
      long seq = 1;
      for (int i = 1; i <= segments; i++) {
        ByteBuffer payload = ByteBuffer.allocate(1 << 20);
        long first = seq;
        for (int k = 0; k < perSegment; k++, seq++) {
          EventFrames.write(event(sessionId, seq, lastSeq), payload);
        }
        payload.flip();
        SealedSegment s = writer.seal(sessionId, i, first, seq - 1, previous, payload);
        Files.write(dir.resolve(RecordingFormat.segmentName(i)), s.bytes());
        previous = s.hash();
      }
    }
    if (endState != null) {
      Manifest m = Manifest.sign(signer, sessionId, endState, segments, lastSeq, previous, 42L);
      Files.write(dir.resolve(RecordingFormat.MANIFEST_NAME), m.bytes());
    }
  }
}
