package dev.ward.cli;

import dev.ward.recording.DirectorySource;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import dev.ward.recording.store.ObjectKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward verify}: checks a recorded session offline — signatures, hash chain, order and
 * completeness — against agent keys the caller trusts, and names what is wrong when it is.
 */
@Command(
    name = "verify",
    description = {
      "Verify a recorded session offline: chain, signatures and completeness.",
      "Give a downloaded SESSION_DIR, or --session ID to fetch the recording from the control"
          + " plane (WARD_API_URL, WARD_API_TOKEN) and check it here, or --session ID with"
          + " --bucket, --endpoint and --tenant to read it straight from the S3-compatible bucket"
          + " the agents write to (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).",
      "Exit status: 0 intact, 1 tail missing, 2 tampered, 3 the recording could not be read."
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SESSION_DIR",
      description = "Folder holding the session's segments and manifest (as downloaded).")
  Path directory;

  @Option(
      names = "--session",
      paramLabel = "ID",
      description =
          "Fetch the session's recording from the control plane instead of reading a folder."
              + " Without --key or --keys-file, trusts the keys the control plane lists for the"
              + " recording agent.")
  String session;

  @Option(
      names = "--save",
      paramLabel = "DIR",
      description = "With --session: keep the downloaded recording in this folder.")
  Path save;

  @Option(
      names = "--bucket",
      paramLabel = "NAME",
      description = "With --session: read the recording from this bucket instead of the API.")
  String bucket;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "With --bucket: the S3-compatible endpoint, e.g. https://s3.eu-west-1.amazonaws.com")
  String endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      defaultValue = "us-east-1",
      description = "With --bucket: the region requests are signed for (default ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--tenant",
      paramLabel = "ID",
      description = "With --bucket: the tenant id the session is stored under.")
  String tenant;

  /** The environment, for --session (a test replaces it). */
  Map<String, String> environment = System.getenv();

  /** Largest recording bundle --session downloads. */
  static final long MAX_DOWNLOAD_BYTES = 4L << 30;

  @Option(
      names = "--key",
      paramLabel = "BASE64",
      description = "A trusted agent public key (Base64 X.509 Ed25519). Repeatable.")
  List<String> keys = new ArrayList<>();

  @Option(
      names = "--keys-file",
      paramLabel = "FILE",
      description = "A file of trusted agent public keys, one Base64 key per line.")
  Path keysFile;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if ((session == null) == (directory == null)) {
      err.println("ward verify: give either SESSION_DIR or --session ID.");
      return 64;
    }
    if (session == null) {
      return verifyFolder(directory, keysFile);
    }
    if (bucket != null) {
      return verifyFromBucket();
    }
    Path dir = save != null ? Files.createDirectories(save) : Files.createTempDirectory("ward-");
    try {
      Path zip = dir.resolve(".download.zip");
      try {
        ControlPlane.fromEnvironment(environment).downloadSession(session, zip, MAX_DOWNLOAD_BYTES);
        SessionBundle.unpack(zip, dir);
      } catch (ControlPlane.Failure e) {
        err.println("ward verify: " + e.getMessage());
        return 3;
      } finally {
        Files.deleteIfExists(zip);
      }
      Path bundleKeys = dir.resolve(SessionBundle.KEYS_FILE);
      boolean ownKeys = !keys.isEmpty() || keysFile != null;
      if (!ownKeys) {
        spec.commandLine()
            .getOut()
            .println(
                "Trusting the recording keys the control plane lists for the agent (pass --key to"
                    + " check against your own).");
      }
      return verifyFolder(dir, ownKeys ? keysFile : bundleKeys);
    } finally {
      if (save == null) {
        deleteFolder(dir);
      }
    }
  }

  /** Downloads the session's objects from the bucket, then verifies them like a folder. */
  private int verifyFromBucket() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (endpoint == null || tenant == null) {
      err.println("ward verify: --bucket needs --endpoint URL and --tenant ID.");
      return 64;
    }
    if (keys.isEmpty() && keysFile == null) {
      err.println(
          "ward verify: the bucket holds no keys; pass --key BASE64 or --keys-file FILE (the"
              + " agent's recording key, as GET /api/v1/agents shows it).");
      return 64;
    }
    String accessKey = environment.get("AWS_ACCESS_KEY_ID");
    String secretKey = environment.get("AWS_SECRET_ACCESS_KEY");
    if (accessKey == null || secretKey == null) {
      err.println(
          "ward verify: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to read the bucket.");
      return 64;
    }
    if (!SAFE_ID.matcher(session).matches() || !SAFE_ID.matcher(tenant).matches()) {
      err.println("ward verify: session and tenant ids are letters, digits, '-' and '_'.");
      return 64;
    }
    S3Bucket storage;
    try {
      storage = new S3Bucket(URI.create(endpoint), bucket, region, accessKey, secretKey);
    } catch (IllegalArgumentException e) {
      err.println("ward verify: " + e.getMessage());
      return 64;
    }
    Path dir = save != null ? Files.createDirectories(save) : Files.createTempDirectory("ward-");
    try {
      String prefix = ObjectKeys.session(tenant, session);
      long total = 0;
      List<S3Bucket.Listed> objects = storage.list(prefix);
      if (objects.isEmpty()) {
        err.println("ward verify: no recording under s3://" + bucket + "/" + prefix);
        return 3;
      }
      for (S3Bucket.Listed o : objects) {
        String name = o.key().substring(prefix.length());
        if (!SAFE_NAME.matcher(name).matches()) {
          // not a file of the recording format; it cannot be part of the session
          continue;
        }
        total += o.size();
        if (total > MAX_DOWNLOAD_BYTES) {
          err.println("ward verify: the recording is larger than " + MAX_DOWNLOAD_BYTES + " bytes");
          return 3;
        }
        storage.download(o.key(), dir.resolve(name), MAX_DOWNLOAD_BYTES);
      }
      return verifyFolder(dir, keysFile);
    } catch (S3Bucket.Failure e) {
      err.println("ward verify: " + e.getMessage());
      return 3;
    } finally {
      if (save == null) {
        deleteFolder(dir);
      }
    }
  }

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private static void deleteFolder(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  private int verifyFolder(Path directory, Path keysFile) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> trusted = new ArrayList<>(keys);
    if (keysFile != null) {
      for (String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          trusted.add(line.trim());
        }
      }
    }
    if (trusted.isEmpty()) {
      err.println(
          "ward verify: no trusted agent key. Pass --key BASE64 or --keys-file FILE (the agent's"
              + " recording key, as GET /api/v1/agents shows it).");
      return 64;
    }
    if (!Files.isDirectory(directory)) {
      err.println("ward verify: " + directory + " is not a folder.");
      return 3;
    }
    TrustedKeys trustedKeys;
    try {
      trustedKeys = TrustedKeys.ofBase64(trusted);
    } catch (IllegalArgumentException e) {
      err.println("ward verify: " + e.getMessage());
      return 64;
    }
    Verdict v = new RecordingVerifier(trustedKeys).verify(new DirectorySource(directory));
    out.println(v.describe());
    out.printf(
        "session %s: %d segments, %d events verified%n",
        v.sessionId().isEmpty() ? "(unknown)" : v.sessionId(), v.segmentCount(), v.eventCount());
    return v.intact() ? 0 : v.status() == Verdict.Status.TAIL_MISSING ? 1 : 2;
  }
}
