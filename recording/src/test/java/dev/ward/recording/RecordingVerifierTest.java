package dev.ward.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.recording.Verdict.Status;
import dev.ward.recording.Verdict.Tamper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecordingVerifierTest {

  private static final RecordingSigner AGENT =
      new RecordingSigner(RecordingSigner.generateKeyPair());

  @TempDir Path tmp;
  private Path session;

  @BeforeEach
  void record() throws IOException {
    session = tmp.resolve("s-1");
    TestRecordings.write(session, AGENT, "s-1", 5, 20, EndState.CLOSED);
  }

  private Verdict verify() throws IOException {
    return RecordingVerifier.verifyDirectory(session, List.of(AGENT.publicKey()));
  }

  private Path segment(int i) {
    return session.resolve(RecordingFormat.segmentName(i));
  }

  @Test
  void untouchedRecordingIsIntact() throws IOException {
    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.INTACT);
    assertThat(v.segmentCount()).isEqualTo(5);
    assertThat(v.eventCount()).isEqualTo(100);
    assertThat(v.sessionId()).isEqualTo("s-1");
  }

  @Test
  void recordingClosedByCrashRecoverySaysSo() throws IOException {
    Path recovered = tmp.resolve("s-2");
    TestRecordings.write(recovered, AGENT, "s-2", 2, 3, EndState.RECOVERED);

    Verdict v = RecordingVerifier.verifyDirectory(recovered, List.of(AGENT.publicKey()));

    assertThat(v.status()).isEqualTo(Status.INTACT_RECOVERED);
    assertThat(v.describe()).contains("crash recovery");
  }

  @Test
  void oneModifiedByteInAMiddleSegmentIsNamed() throws IOException {
    byte[] bytes = Files.readAllBytes(segment(3));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(segment(3), bytes);

    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.TAMPERED);
    assertThat(v.tamper()).isEqualTo(Tamper.MODIFIED);
    assertThat(v.segment()).isEqualTo(3);
  }

  @Test
  void modifiedLastSegmentIsCaughtByTheManifest() throws IOException {
    byte[] bytes = Files.readAllBytes(segment(5));
    bytes[100] ^= 0x40;
    Files.write(segment(5), bytes);

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.MODIFIED);
    assertThat(v.segment()).isEqualTo(5);
  }

  @Test
  void segmentDroppedFromTheMiddleIsNamed() throws IOException {
    Files.delete(segment(3));

    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.TAMPERED);
    assertThat(v.tamper()).isEqualTo(Tamper.MISSING);
    assertThat(v.segment()).isEqualTo(3);
  }

  @Test
  void reorderedSegmentsAreNamed() throws IOException {
    Path swap = session.resolve("swap");
    Files.move(segment(2), swap);
    Files.move(segment(4), segment(2));
    Files.move(swap, segment(4));

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.REORDERED);
    assertThat(v.segment()).isEqualTo(2);
    assertThat(v.describe()).contains("seg-000002.wseg holds segment 4");
  }

  @Test
  void truncatedTailWithoutManifestIsReportedAsTailMissing() throws IOException {
    Files.delete(segment(5));
    Files.delete(segment(4));
    Files.delete(session.resolve(RecordingFormat.MANIFEST_NAME));

    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.TAIL_MISSING);
    assertThat(v.segment()).isEqualTo(3);
    assertThat(v.eventCount()).isEqualTo(60);
  }

  @Test
  void truncatedTailUnderAKeptManifestIsTampering() throws IOException {
    Files.delete(segment(5));
    Files.delete(segment(4));

    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.TAMPERED);
    assertThat(v.tamper()).isEqualTo(Tamper.MISSING);
    assertThat(v.segment()).isEqualTo(4);
  }

  @Test
  void removedManifestLeavesTheTailUnproven() throws IOException {
    Files.delete(session.resolve(RecordingFormat.MANIFEST_NAME));

    Verdict v = verify();

    assertThat(v.status()).isEqualTo(Status.TAIL_MISSING);
    assertThat(v.segment()).isEqualTo(5);
    assertThat(v.describe()).contains("no manifest");
  }

  @Test
  void segmentFromAnotherSessionIsNamed() throws IOException {
    Path other = tmp.resolve("s-other");
    TestRecordings.write(other, AGENT, "s-other", 5, 20, EndState.CLOSED);
    Files.copy(
        other.resolve(RecordingFormat.segmentName(2)),
        segment(2),
        StandardCopyOption.REPLACE_EXISTING);

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.FOREIGN_SEGMENT);
    assertThat(v.segment()).isEqualTo(2);
    assertThat(v.describe()).contains("s-other");
  }

  @Test
  void recordingSignedByAnUntrustedKeyIsNamed() throws IOException {
    RecordingSigner stranger = new RecordingSigner(RecordingSigner.generateKeyPair());
    Path forged = tmp.resolve("forged");
    TestRecordings.write(forged, stranger, "s-1", 2, 5, EndState.CLOSED);

    Verdict v = RecordingVerifier.verifyDirectory(forged, List.of(AGENT.publicKey()));

    assertThat(v.tamper()).isEqualTo(Tamper.UNKNOWN_KEY);
    assertThat(v.segment()).isEqualTo(1);
  }

  @Test
  void corruptedSignatureOnUncommittedSegmentIsABadSignature() throws IOException {
    Files.delete(session.resolve(RecordingFormat.MANIFEST_NAME));
    byte[] bytes = Files.readAllBytes(segment(5));
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(segment(5), bytes);

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.BAD_SIGNATURE);
    assertThat(v.segment()).isEqualTo(5);
  }

  @Test
  void modifiedManifestIsNamed() throws IOException {
    Path manifest = session.resolve(RecordingFormat.MANIFEST_NAME);
    byte[] bytes = Files.readAllBytes(manifest);
    // The event count: claim fewer events than were recorded.
    bytes[bytes.length - 64 - 8 - 32 - 1] ^= 0x01;
    Files.write(manifest, bytes);

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.MODIFIED);
    assertThat(v.segment()).isZero();
    assertThat(v.describe()).contains("manifest");
  }

  @Test
  void manifestFromAnotherSessionDoesNotCloseThisOne() throws IOException {
    Path other = tmp.resolve("s-other");
    TestRecordings.write(other, AGENT, "s-other", 5, 20, EndState.CLOSED);
    Files.copy(
        other.resolve(RecordingFormat.MANIFEST_NAME),
        session.resolve(RecordingFormat.MANIFEST_NAME),
        StandardCopyOption.REPLACE_EXISTING);

    Verdict v = verify();

    assertThat(v.tamper()).isEqualTo(Tamper.FOREIGN_SEGMENT);
  }

  @Test
  void emptyFolderHasNothingToVerify() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    Verdict v = RecordingVerifier.verifyDirectory(empty, List.of(AGENT.publicKey()));

    assertThat(v.status()).isEqualTo(Status.TAIL_MISSING);
    assertThat(v.segment()).isZero();
  }
}
