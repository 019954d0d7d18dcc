package dev.ward.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Ward control plane (the built Quarkus application) as a process. */
public final class ControlPlaneProcess implements AutoCloseable {

  private final int port;
  private final Map<String, String> env;
  private final Path log;
  private ManagedProcess process;

  /**
   * @param db its database
   * @param port HTTP port (API, console and agent channel)
   * @param bootstrapToken the platform bootstrap token
   * @param extraEnv more WARD_* settings
   * @param log where its output goes
   */
  public ControlPlaneProcess(
      Database db, int port, String bootstrapToken, Map<String, String> extraEnv, Path log) {
    this.port = port;
    this.log = log;
    Map<String, String> e = new HashMap<>();
    e.put("WARD_DB_HOST", db.host());
    e.put("WARD_DB_PORT", String.valueOf(db.port()));
    e.put("WARD_DB_NAME", db.name());
    e.put("WARD_DB_USER", db.user());
    e.put("WARD_DB_PASSWORD", db.password());
    e.put("WARD_HTTP_PORT", String.valueOf(port));
    e.put("WARD_BOOTSTRAP_TOKEN", bootstrapToken);
    // Serve the agent distribution the build made, so install scripts can download it.
    Path distribution = Repository.root().resolve("agent/target/distribution");
    if (Files.isDirectory(distribution)) {
      e.put("WARD_DISTRIBUTION_DIR", distribution.toString());
    }
    // A master key unless the caller brings one (a caller that restarts a control plane on the
    // same database must pass the same key, or secrets sealed before cannot be opened).
    e.put("WARD_MASTER_KEY", randomMasterKey());
    e.putAll(extraEnv);
    this.env = Map.copyOf(e);
  }

  /** 32 random bytes in Base64, the form WARD_MASTER_KEY takes. */
  public static String randomMasterKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  public ControlPlaneProcess start() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ManagedProcess.javaBinary());
    cmd.addAll(ManagedProcess.jvmFlags());
    cmd.add("-Xmx512m");
    cmd.add("-jar");
    cmd.add(Repository.artifact("control-plane/target/quarkus-app/quarkus-run.jar").toString());
    process = new ManagedProcess("control-plane", cmd, env, log).start();
    // generous: test machines are often shared, and a cold JVM starts slowly under load
    process.awaitReady(
        this::ready, Duration.ofSeconds(Long.getLong("ward.start-timeout-seconds", 180)));
    return this;
  }

  /** Whether /q/health/ready answers 200. */
  public boolean ready() {
    return Probe.status(url() + "/q/health/ready") == 200;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(15));
    }
  }

  public void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
