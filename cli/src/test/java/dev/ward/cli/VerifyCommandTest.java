package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {

  @TempDir Path dir;
  private RecordingSigner signer;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void record() throws Exception {
    signer = new RecordingSigner(RecordingSigner.generateKeyPair());
    writeSession(dir, "s-1", 3);
  }

  private void writeSession(Path folder, String sessionId, int segments) throws Exception {
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

  private int ward(String... args) {
    CommandLine cl = new CommandLine(new WardCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void anUntouchedRecordingVerifiesAsIntact() {
    int code = ward("verify", dir.toString(), "--key", signer.publicKeyBase64());
    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("INTACT").contains("3 segments, 6 events verified");
  }

  @Test
  void aModifiedByteIsReportedAsTamperingAndExitsTwo() throws Exception {
    Path segment = dir.resolve(RecordingFormat.segmentName(2));
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 80] ^= 0x01;
    Files.write(segment, bytes);
    assertThat(ward("verify", dir.toString(), "--key", signer.publicKeyBase64())).isEqualTo(2);
    assertThat(out.toString()).startsWith("TAMPERED");
  }

  @Test
  void aMissingManifestIsATailMissingAndExitsOne() throws Exception {
    Files.delete(dir.resolve(RecordingFormat.MANIFEST_NAME));
    assertThat(ward("verify", dir.toString(), "--key", signer.publicKeyBase64())).isEqualTo(1);
    assertThat(out.toString()).startsWith("TAIL MISSING");
  }

  @Test
  void aRecordingSignedByAnotherKeyIsNotTrusted() {
    String other = new RecordingSigner(RecordingSigner.generateKeyPair()).publicKeyBase64();
    assertThat(ward("verify", dir.toString(), "--key", other)).isEqualTo(2);
    assertThat(out.toString()).contains("unknown key");
  }

  @Test
  void keysCanComeFromAFile() throws Exception {
    Path keys = dir.getParent().resolve("keys-" + System.nanoTime());
    Files.writeString(keys, "# agent edge-1\n" + signer.publicKeyBase64() + "\n");
    assertThat(ward("verify", dir.toString(), "--keys-file", keys.toString())).isZero();
  }

  @Test
  void withoutAKeyItSaysWhereToFindOne() {
    assertThat(ward("verify", dir.toString())).isEqualTo(64);
    assertThat(err.toString()).contains("--key");
  }

  @Test
  void aMalformedKeyIsAUsageErrorNotACrash() {
    assertThat(ward("verify", dir.toString(), "--key", "not-base64!")).isEqualTo(64);
    assertThat(err.toString()).contains("ward verify:").doesNotContain("Exception");
  }
}
