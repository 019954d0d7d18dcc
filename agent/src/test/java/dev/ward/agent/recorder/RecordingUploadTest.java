package dev.ward.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.channel.Backoff;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import dev.ward.recording.store.MinioObjectStore;
import dev.ward.stack.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The recorder and uploader against a real S3-compatible server (S3Proxy, as its own process). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecordingUploadTest {

  private static final RecordingSigner KEY = new RecordingSigner(RecordingSigner.generateKeyPair());
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path storageDir;
  private static S3Server s3;
  private static MinioObjectStore store;

  @TempDir Path work;
  private SpoolRecorder recorder;
  private SpoolUploader uploader;

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
        new MinioObjectStore(s3.endpoint(), "", "recordings", s3.accessKey(), s3.secretKey(), true);
  }

  @AfterAll
  static void stopStorage() {
    store.close();
    s3.close();
  }

  @AfterEach
  void stopRecorder() {
    if (recorder != null) {
      recorder.close();
    }
    if (uploader != null) {
      uploader.close();
    }
  }

  private void startAgent(Path spool, RecorderSettings settings) {
    startAgent(spool, settings, store);
  }

  private void startAgent(Path spool, RecorderSettings settings, MinioObjectStore bucket) {
    uploader =
        new SpoolUploader(
            spool,
            bucket,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new Random(7)));
    recorder = new SpoolRecorder(settings, KEY, uploader::wake);
    recorder.start();
    uploader.start();
  }

  private static boolean empty(Path spool) {
    try {
      return SessionFolder.list(spool).isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Verdict downloadAndVerify(String tenant, String sessionId) throws IOException {
    return downloadAndVerify(store, tenant, sessionId);
  }

  private Verdict downloadAndVerify(MinioObjectStore bucket, String tenant, String sessionId)
      throws IOException {
    Path dir = work.resolve("download").resolve(sessionId);
    new RecordingDownloader(bucket).download(tenant, sessionId, dir);
    return RecordingVerifier.verifyDirectory(dir, List.of(KEY.publicKey()));
  }

  @Test
  void recordedSessionsArriveInTheBucketAndVerifyIntact() throws Exception {
    Path spool = work.resolve("spool");
    startAgent(spool, RecorderSettings.defaults(spool));

    for (int i = 1; i <= 3; i++) {
      Sessions.record(recorder, "acme", "up-" + i, 500, true);
    }
    Eventually.await("the spool is uploaded", LIMIT, () -> empty(spool));

    for (int i = 1; i <= 3; i++) {
      Verdict v = downloadAndVerify("acme", "up-" + i);
      assertThat(v.status()).isEqualTo(Verdict.Status.INTACT);
      assertThat(v.eventCount()).isEqualTo(502);
    }
    Verdict inPlace =
        new RecordingVerifier(new TrustedKeys(List.of(KEY.publicKey())))
            .verify(new RecordingDownloader(store).source("acme", "up-2"));
    assertThat(inPlace.status()).isEqualTo(Verdict.Status.INTACT);
  }

  @Test
  void anUploaderPointedAtAMissingBucketCreatesItAndUploads() throws Exception {
    Path spool = work.resolve("spool");
    assertThat(s3.dataDir().resolve("created-by-agent")).doesNotExist();
    // No region configured, as for S3Proxy and MinIO: the bucket is created in the default one.
    try (MinioObjectStore missing =
        new MinioObjectStore(
            s3.endpoint(), "", "created-by-agent", s3.accessKey(), s3.secretKey(), true)) {
      startAgent(spool, RecorderSettings.defaults(spool), missing);
      Sessions.record(recorder, "acme", "fresh-1", 200, true);
      Eventually.await("the spool is uploaded", LIMIT, () -> empty(spool));
      assertThat(uploader.storageFailing()).isFalse();
      uploader.close();

      assertThat(s3.dataDir().resolve("created-by-agent")).isDirectory();
      Verdict v = downloadAndVerify(missing, "acme", "fresh-1");
      assertThat(v.status()).isEqualTo(Verdict.Status.INTACT);
      assertThat(v.eventCount()).isEqualTo(202);
    }
  }

  @Test
  void aBucketDeletedWhileTheAgentRunsIsCreatedAgain() throws Exception {
    Path spool = work.resolve("spool");
    Path bucketDir = s3.dataDir().resolve("deleted-under-agent");
    try (MinioObjectStore bucket =
        new MinioObjectStore(
            s3.endpoint(), "", "deleted-under-agent", s3.accessKey(), s3.secretKey(), true)) {
      startAgent(spool, RecorderSettings.defaults(spool), bucket);
      Sessions.record(recorder, "acme", "before-delete", 50, true);
      Eventually.await("the first session is uploaded", LIMIT, () -> empty(spool));
      deleteTree(bucketDir);

      Sessions.record(recorder, "acme", "after-delete", 50, true);
      Eventually.await("the second session is uploaded", LIMIT, () -> empty(spool));
      uploader.close();
      assertThat(downloadAndVerify(bucket, "acme", "after-delete").status())
          .isEqualTo(Verdict.Status.INTACT);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void nothingIsLostWhileStorageIsDown() throws Exception {
    Path spool = work.resolve("spool");
    startAgent(spool, new RecorderSettings(spool, 8 << 10, Duration.ofSeconds(1), 2 << 20));
    s3.stop();
    try {
      for (int i = 1; i <= 3; i++) {
        Sessions.record(recorder, "acme", "down-" + i, 800, true);
      }
      Eventually.await("the uploader notices storage is down", LIMIT, uploader::storageFailing);
      for (int i = 1; i <= 3; i++) {
        Path manifest = spool.resolve("down-" + i).resolve("manifest.wman");
        Eventually.await(
            "down-" + i + " is closed in the spool", LIMIT, () -> Files.exists(manifest));
      }
      assertThat(spool.resolve("down-1").resolve("seg-000001.wseg")).exists();
    } finally {
      s3.start();
    }

    Eventually.await("the spool is uploaded after storage returns", LIMIT, () -> empty(spool));
    for (int i = 1; i <= 3; i++) {
      Verdict v = downloadAndVerify("acme", "down-" + i);
      assertThat(v.status()).isEqualTo(Verdict.Status.INTACT);
      assertThat(v.eventCount()).isEqualTo(802);
    }
  }

  @Test
  void sessionOpenWhenTheAgentCrashedArrivesRecoveredWithEveryEvent() throws Exception {
    Path spool = work.resolve("spool");
    RecorderSettings small = new RecorderSettings(spool, 8 << 10, Duration.ofSeconds(1), 2 << 20);
    startAgent(spool, small);
    var session = Sessions.record(recorder, "acme", "crash-1", 600, false);
    Eventually.await("early segments are uploaded", LIMIT, () -> uploader.uploadedObjects() >= 1);
    for (int i = 600; i < 1200; i++) {
      session.append(Sessions.statement(i));
    }
    recorder.halt();
    uploader.close();

    startAgent(spool, small);
    Eventually.await("the recovered session is uploaded", LIMIT, () -> empty(spool));

    Verdict v = downloadAndVerify("acme", "crash-1");
    assertThat(v.status()).isEqualTo(Verdict.Status.INTACT_RECOVERED);
    assertThat(v.eventCount()).isEqualTo(1 + 1200 + 1);
  }
}
