package dev.ward.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An S3-compatible object store on 127.0.0.1: S3Proxy ({@code org.gaul:s3proxy}) with its
 * filesystem backend, as its own {@code java -jar} process. Each bucket is a folder under the data
 * directory. It can be stopped and started again on the same port and data, which is how tests take
 * storage away from an agent and give it back.
 *
 * <p>The jar comes from {@code -Dward.s3proxy.jar}, else {@code
 * stack/target/components/s3proxy.jar} (which building the stack module downloads).
 */
public final class S3Server implements AutoCloseable {

  private final Path dataDir;
  private final String accessKey;
  private final String secretKey;
  private final Path log;
  private int port;
  private ManagedProcess process;

  /**
   * @param dataDir where buckets and objects are kept
   * @param accessKey the access key clients sign with
   * @param secretKey its secret; written to a 0600 file, never on a command line
   * @param log where the server's output goes
   */
  public S3Server(Path dataDir, String accessKey, String secretKey, Path log) {
    this.dataDir = dataDir.toAbsolutePath();
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.log = log;
  }

  /** The S3Proxy jar this launcher runs, with a message saying how to get it when missing. */
  public static Path jar() {
    String configured = System.getProperty("ward.s3proxy.jar");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            "ward.s3proxy.jar points to " + path + ", which is missing");
      }
      return path;
    }
    return Repository.artifact("stack/target/components/s3proxy.jar");
  }

  /**
   * Starts the server and waits until it answers HTTP. The first start picks a free port; later
   * starts (after {@link #stop()}) reuse it, so clients keep their endpoint.
   */
  public S3Server start() throws IOException {
    if (isRunning()) {
      return this;
    }
    Files.createDirectories(dataDir);
    if (port == 0) {
      port = Ports.free();
    }
    Path conf = writeConfig();
    List<String> cmd = new ArrayList<>();
    cmd.add(ManagedProcess.javaBinary());
    cmd.addAll(ManagedProcess.jvmFlags());
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.add("--properties");
    cmd.add(conf.toString());
    process = new ManagedProcess("s3proxy", cmd, Map.of("LOG_LEVEL", "warn"), log).start();
    process.awaitReady(this::answers, Duration.ofSeconds(60));
    return this;
  }

  private Path writeConfig() throws IOException {
    Path conf = dataDir.resolveSibling(dataDir.getFileName() + ".s3proxy.properties");
    Files.deleteIfExists(conf);
    Files.createFile(
        conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + accessKey,
            "s3proxy.credential=" + secretKey,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dataDir,
            // Current SDKs (MinIO 9) send x-amz-checksum-* headers S3Proxy does not implement.
            "s3proxy.ignore-unknown-headers=true",
            ""));
    return conf;
  }

  /** Whether anything answers HTTP on the port (S3 answers an unsigned request with 403). */
  private boolean answers() {
    return Probe.status(endpoint() + "/") > 0;
  }

  /**
   * Creates a bucket as the filesystem backend keeps it: a folder of the data directory. Tests that
   * need a bucket but do not test how one is created use this; agents create theirs through {@code
   * MinioObjectStore.ensureBucket()}.
   */
  public void createBucket(String name) throws IOException {
    if (!name.matches("[a-z0-9][a-z0-9.-]{2,62}")) {
      throw new IllegalArgumentException("not an S3 bucket name: " + name);
    }
    Files.createDirectories(dataDir.resolve(name));
  }

  /** The settings with which a control plane reads recordings from the bucket of this server. */
  public Map<String, String> controlPlaneRecordingSettings(String bucket) {
    return recordingSettings("WARD_RECORDING_", bucket);
  }

  /** The settings with which an agent uploads recordings to the bucket of this server. */
  public Map<String, String> agentRecordingSettings(String bucket) {
    return recordingSettings("WARD_AGENT_RECORDING_", bucket);
  }

  /** Both name the same four settings, each under its own prefix. */
  private Map<String, String> recordingSettings(String prefix, String bucket) {
    return Map.of(
        prefix + "ENDPOINT", endpoint(),
        prefix + "BUCKET", bucket,
        prefix + "ACCESS_KEY", accessKey,
        prefix + "SECRET_KEY", secretKey);
  }

  /** The endpoint clients use, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server politely; its data stays, and {@link #start()} brings it back. */
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
      process = null;
    }
  }

  /** Kills the server at once, as a crash would. */
  public void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
