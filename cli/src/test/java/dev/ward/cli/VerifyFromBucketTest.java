package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import dev.ward.stack.S3Server;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ward verify --bucket}: a recording read straight from a real S3-compatible server
 * (s3proxy, with AWS Signature V4 checked) is verified, and tampering in the bucket is named.
 */
class VerifyFromBucketTest {

  static final String BUCKET = "ward-recordings";
  static final String TENANT = "t-acme";

  @TempDir static Path data;
  static S3Server s3;
  static RecordingSigner signer;
  static S3Bucket bucket;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    s3 =
        new S3Server(data.resolve("s3"), "verify-it", "verify-secret-0123", data.resolve("s3.log"))
            .start();
    s3.createBucket(BUCKET);
    signer = new RecordingSigner(RecordingSigner.generateKeyPair());
    bucket =
        new S3Bucket(
            URI.create(s3.endpoint()), BUCKET, "us-east-1", s3.accessKey(), s3.secretKey());
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  /** Records a session into a folder and stores its files under the agents' object keys. */
  static void store(String sessionId, int segments) throws Exception {
    Path folder = Files.createTempDirectory(data, sessionId);
    TestRecordings.write(signer, folder, sessionId, segments);
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        bucket.put(key(sessionId, f.getFileName().toString()), Files.readAllBytes(f));
      }
    }
  }

  static String key(String sessionId, String name) {
    return "tenants/" + TENANT + "/sessions/" + sessionId + "/" + name;
  }

  private int ward(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(new WardCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ((VerifyCommand) cl.getSubcommands().get("verify").getCommand()).environment = env;
    return cl.execute(args);
  }

  private int verify(String sessionId, String... more) {
    String[] base = {
      "verify",
      "--session",
      sessionId,
      "--bucket",
      BUCKET,
      "--endpoint",
      s3.endpoint(),
      "--tenant",
      TENANT,
      "--key",
      signer.publicKeyBase64()
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return ward(
        Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()), args);
  }

  @Test
  void aRecordingInTheBucketVerifiesAsIntact() throws Exception {
    store("s-intact", 3);
    Path saved = data.resolve("saved-intact");

    assertThat(verify("s-intact", "--save", saved.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("INTACT").contains("3 segments, 6 events verified");
    assertThat(saved.resolve(RecordingFormat.MANIFEST_NAME)).exists();
  }

  @Test
  void aByteChangedInTheBucketIsNamedAsTampering() throws Exception {
    store("s-tampered", 3);
    Path copy = data.resolve("seg2");
    bucket.download(key("s-tampered", RecordingFormat.segmentName(2)), copy, 1 << 20);
    byte[] segment = Files.readAllBytes(copy);
    segment[segment.length / 2] ^= 0x01;
    bucket.put(key("s-tampered", RecordingFormat.segmentName(2)), segment);

    assertThat(verify("s-tampered")).isEqualTo(2);
    assertThat(out.toString()).contains("TAMPERED").contains("segment 2");
  }

  @Test
  void aMiddleSegmentDeletedFromTheBucketIsNamed() throws Exception {
    store("s-dropped", 3);
    // s3proxy's filesystem store: removing the object's file deletes it
    Files.delete(
        s3.dataDir().resolve(BUCKET).resolve(key("s-dropped", RecordingFormat.segmentName(2))));

    assertThat(verify("s-dropped")).isEqualTo(2);
    assertThat(out.toString()).contains("TAMPERED");
  }

  @Test
  void wrongCredentialsAreReportedAsTheStoragesRefusalNotACrash() {
    int code =
        ward(
            Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", "wrong"),
            "verify",
            "--session",
            "s-any",
            "--bucket",
            BUCKET,
            "--endpoint",
            s3.endpoint(),
            "--tenant",
            TENANT,
            "--key",
            signer.publicKeyBase64());

    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("HTTP 403").doesNotContain("Exception");
  }

  @Test
  void aSessionNotInTheBucketSaysWhereItLooked() {
    assertThat(verify("s-missing")).isEqualTo(3);
    assertThat(err.toString())
        .contains(
            "no recording under s3://" + BUCKET + "/tenants/" + TENANT + "/sessions/s-missing/");
  }

  @Test
  void withoutCredentialsOrKeysItSaysWhatIsMissing() {
    assertThat(
            ward(
                Map.of(),
                "verify",
                "--session",
                "s-1",
                "--bucket",
                BUCKET,
                "--endpoint",
                s3.endpoint(),
                "--tenant",
                TENANT,
                "--key",
                signer.publicKeyBase64()))
        .isEqualTo(64);
    assertThat(err.toString()).contains("AWS_ACCESS_KEY_ID");
  }
}
