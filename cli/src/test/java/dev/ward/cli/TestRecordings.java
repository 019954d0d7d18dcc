package dev.ward.cli;

import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import dev.ward.recording.EndState;
import dev.ward.recording.EventFrames;
import dev.ward.recording.Manifest;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.SealedSegment;
import dev.ward.recording.SegmentWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real recordings, written with the agent's segment writer and signer, for the CLI's tests. */
final class TestRecordings {

  private TestRecordings() {}

  /** Writes a closed session of {@code segments} segments, two events each, into {@code folder}. */
  static void write(RecordingSigner signer, Path folder, String sessionId, int segments)
      throws Exception {
    byte[] previous = RecordingFormat.genesis(sessionId);
    long seq = 1;
    long last = segments * 2L;
    try (SegmentWriter writer = new SegmentWriter(signer)) {
      for (int i = 1; i <= segments; i++) {
        ByteBuffer payload = ByteBuffer.allocate(1 << 16);
        long first = seq;
        for (int k = 0; k < 2; k++, seq++) {
          Event.Builder e = Event.newBuilder().setSeq(seq).setUnixNanos(seq);
          if (seq == 1) {
            e.setStart(SessionStart.newBuilder().setSessionId(sessionId));
          } else if (seq == last) {
            e.setEnd(SessionEnd.newBuilder().setReason("normal"));
          } else {
            e.setStatement(Statement.newBuilder().setText("SELECT " + seq));
          }
          EventFrames.write(e.build(), payload);
        }
        payload.flip();
        SealedSegment s = writer.seal(sessionId, i, first, seq - 1, previous, payload);
        Files.write(folder.resolve(RecordingFormat.segmentName(i)), s.bytes());
        previous = s.hash();
      }
    }
    Manifest m = Manifest.sign(signer, sessionId, EndState.CLOSED, segments, last, previous, 1L);
    Files.write(folder.resolve(RecordingFormat.MANIFEST_NAME), m.bytes());
  }
}
