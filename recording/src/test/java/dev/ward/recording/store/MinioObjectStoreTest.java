package dev.ward.recording.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.recording.EndState;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TestRecordings;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import dev.ward.stack.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shared bucket client against a real S3-compatible server (S3Proxy, as its own process). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MinioObjectStoreTest {

  @TempDir static Path storageDir;
  private static S3Server s3;
  private static MinioObjectStore store;

  @BeforeAll
  static void startStorage() throws IOException {
    s3 =
        new S3Server(
                storageDir.resolve("data"),
                "ward-test",
                "ward-test-secret-0123456789",
                storageDir.resolve("s3proxy.log"))
            .start();
    s3.createBucket("recordings");
    store =
        new MinioObjectStore(s3.endpoint(), "", "recordings", "ward-test", s3.secretKey(), false);
  }

  @AfterAll
  static void stopStorage() {
    store.close();
    s3.close();
  }

  @Test
  void storedObjectsAreListedReadAndDeleted() throws IOException {
    store.ensureBucket(); // the bucket exists: nothing to do, no error
    byte[] one = "first".getBytes(StandardCharsets.UTF_8);
    store.put("t/a/one", one);
    store.put("t/a/deeper/two", new byte[1000]);
    store.put("t/b/other", new byte[1]);

    assertThat(store.list("t/a/"))
        .containsExactlyInAnyOrder(
            new ObjectStore.StoredObject("t/a/one", 5),
            new ObjectStore.StoredObject("t/a/deeper/two", 1000));
    assertThat(store.get("t/a/one", 5)).contains(one);
    assertThat(store.get("t/a/missing", 5)).isEmpty();

    store.delete("t/a/one");
    store.delete("t/a/one"); // already gone: not an error
    assertThat(store.list("t/a/"))
        .extracting(ObjectStore.StoredObject::key)
        .containsExactly("t/a/deeper/two");
    assertThat(store.list("t/b/")).hasSize(1);
  }

  @Test
  void aMissingBucketIsCreatedWhenNoRegionIsConfigured() throws IOException {
    try (MinioObjectStore fresh =
        new MinioObjectStore(
            s3.endpoint(), "", "created-here", "ward-test", s3.secretKey(), false)) {
      fresh.ensureBucket();
      fresh.ensureBucket(); // now it exists: nothing to do, no error
      fresh.put("t/x/one", new byte[3]);
      assertThat(fresh.list("t/x/")).containsExactly(new ObjectStore.StoredObject("t/x/one", 3));
    }
    assertThat(storageDir.resolve("data").resolve("created-here")).isDirectory();
  }

  @Test
  void readingAMissingBucketIsAnErrorThatNamesTheBucket() {
    try (MinioObjectStore absent =
        new MinioObjectStore(
            s3.endpoint(), "", "never-created", "ward-test", s3.secretKey(), false)) {
      assertThatThrownBy(() -> absent.list("t/"))
          .isInstanceOfSatisfying(
              MissingBucketException.class, e -> assertThat(e.bucket()).isEqualTo("never-created"))
          .hasMessage("object storage has no bucket named never-created");
      assertThatThrownBy(() -> absent.get("t/x", 10)).isInstanceOf(MissingBucketException.class);
      assertThatThrownBy(() -> absent.put("t/x", new byte[1]))
          .isInstanceOf(MissingBucketException.class);
    }
    assertThat(storageDir.resolve("data").resolve("never-created")).doesNotExist();
  }

  @Test
  void anObjectLargerThanTheLimitIsRefusedNotTruncated() throws IOException {
    store.put("big/object", new byte[2048]);
    assertThatThrownBy(() -> store.get("big/object", 2047))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than 2047 bytes");
    assertThat(store.get("big/object", 2048)).hasValueSatisfying(b -> assertThat(b).hasSize(2048));
  }

  @Test
  void aSessionVerifiesInPlaceAndOnlyTheFormatsFilesAreRead() throws IOException {
    RecordingSigner signer = new RecordingSigner(RecordingSigner.generateKeyPair());
    Path folder = storageDir.resolve("session-1");
    TestRecordings.write(folder, signer, "session-1", 3, 4, EndState.CLOSED);
    String prefix = ObjectKeys.session("acme", "session-1");
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        store.put(prefix + f.getFileName(), Files.readAllBytes(f));
      }
    }
    store.put(prefix + "notes.txt", "not a recording".getBytes(StandardCharsets.UTF_8));
    store.put(prefix + "nested/seg-000009.wseg", new byte[10]);

    BucketSource source = new BucketSource(store, prefix);
    assertThat(source.names())
        .containsExactlyInAnyOrder(
            RecordingFormat.segmentName(1),
            RecordingFormat.segmentName(2),
            RecordingFormat.segmentName(3),
            RecordingFormat.MANIFEST_NAME);
    assertThat(source.read("notes.txt", 1024)).isEmpty();

    Verdict v =
        new RecordingVerifier(TrustedKeys.ofBase64(List.of(signer.publicKeyBase64())))
            .verify(source);
    assertThat(v.intact()).as(v.describe()).isTrue();
    assertThat(v.segmentCount()).isEqualTo(3);
  }

  @Test
  void unreachableStorageIsAnIoErrorThatNamesNoSecret() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (MinioObjectStore down =
        new MinioObjectStore(
            "http://127.0.0.1:" + closedPort, "", "recordings", "key", "secret-value-xyz", true)) {
      assertThatThrownBy(() -> down.list("t/"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("object storage failed")
          .message()
          .doesNotContain("secret-value-xyz");
    }
  }

  @Test
  void wrongCredentialsAreRefusedWithStoragesErrorCode() {
    try (MinioObjectStore wrong =
        new MinioObjectStore(s3.endpoint(), "", "recordings", "ward-test", "wrong-secret", false)) {
      assertThatThrownBy(() -> wrong.get("t/a/deeper/two", 10))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("object storage refused: ")
          .message()
          .doesNotContain("wrong-secret");
    }
  }
}
