package dev.ward.recording;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recordings come back from object storage, where anyone with write access to the bucket can put
 * anything: the reader and the verifier must answer every input with events, a verdict or a checked
 * exception, never with a crash, a hang or an allocation beyond the format's bounds. Seeds (a real
 * segment and manifest) sit in {@code RecordingFuzzTestInputs}; see docs/reliability.md for the
 * fuzzing modes.
 */
class RecordingFuzzTest {

  private static final RecordingVerifier VERIFIER =
      new RecordingVerifier(
          new TrustedKeys(
              List.of(new RecordingSigner(RecordingSigner.generateKeyPair()).publicKey())));

  @FuzzTest(maxDuration = "5s")
  void readerAndVerifierTakeAnySegment(byte[] segment) throws IOException {
    RecordingSource source = source(Map.of(RecordingFormat.segmentName(1), segment));
    try {
      new RecordingReader(source).readAll(100_000);
    } catch (MalformedRecordingException | IOException expected) {
      // refused with a reason
    }
    VERIFIER.verify(source);
  }

  @FuzzTest(maxDuration = "5s")
  void verifierTakesAnyManifest(byte[] manifest) throws IOException {
    try {
      Manifest.parse(manifest);
    } catch (MalformedRecordingException expected) {
      // refused with a reason
    }
    VERIFIER.verify(source(Map.of(RecordingFormat.MANIFEST_NAME, manifest)));
  }

  private static RecordingSource source(Map<String, byte[]> objects) {
    return new RecordingSource() {
      @Override
      public List<String> names() {
        return List.copyOf(objects.keySet());
      }

      @Override
      public Optional<byte[]> read(String name, int maxBytes) throws IOException {
        byte[] bytes = objects.get(name);
        if (bytes != null && bytes.length > maxBytes) {
          throw new IOException(name + " is larger than " + maxBytes + " bytes");
        }
        return Optional.ofNullable(bytes);
      }
    };
  }
}
