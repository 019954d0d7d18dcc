package dev.ward.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** A Ward agent (the built agent jar) as a process. */
public final class AgentProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final int healthPort;
  private final Map<String, String> env;
  private final Path log;
  private ManagedProcess process;

  /**
   * @param controlPlaneUrl where the agent dials
   * @param token its agent token; written to a 0600 file, never passed on a command line
   * @param dataDir its data directory
   * @param healthPort port of /healthz and /readyz
   * @param extraEnv more WARD_AGENT_* settings
   * @param log where its output goes
   */
  public AgentProcess(
      String controlPlaneUrl,
      String token,
      Path dataDir,
      int healthPort,
      Map<String, String> extraEnv,
      Path log)
      throws IOException {
    this.dataDir = dataDir;
    this.healthPort = healthPort;
    this.log = log;
    Files.createDirectories(dataDir);
    Path tokenFile = dataDir.resolve("agent.token");
    Files.deleteIfExists(tokenFile);
    Files.createFile(
        tokenFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, token);
    Map<String, String> e = new HashMap<>();
    e.put("WARD_AGENT_CONTROL_PLANE", controlPlaneUrl);
    e.put("WARD_AGENT_TOKEN_FILE", tokenFile.toString());
    e.put("WARD_AGENT_DATA_DIR", dataDir.toString());
    e.put("WARD_AGENT_HEALTH_HOST", "127.0.0.1");
    e.put("WARD_AGENT_HEALTH_PORT", String.valueOf(healthPort));
    e.putAll(extraEnv);
    this.env = Map.copyOf(e);
  }

  /** Starts the agent and waits until its health endpoint answers (not until it is ready). */
  public AgentProcess start() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ManagedProcess.javaBinary());
    cmd.addAll(ManagedProcess.jvmFlags());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC"); // as bin/ward-agent starts it
    cmd.add("-jar");
    cmd.add(Repository.artifact("agent/target/ward-agent.jar").toString());
    process = new ManagedProcess("agent", cmd, env, log).start();
    process.awaitReady(() -> status("/healthz") == 200, Duration.ofSeconds(60));
    return this;
  }

  /** Waits until /readyz answers 200: the agent enforces a config. */
  public void awaitReady(Duration timeout) throws IOException {
    process.awaitReady(() -> status("/readyz") == 200, timeout);
  }

  /** The body of /readyz (JSON: config version, listeners by connection name, storage), or "". */
  public String readiness() {
    return Probe.body("http://127.0.0.1:" + healthPort + "/readyz");
  }

  /** The body of /readyz as JSON; a missing node when nothing answers or the body is not JSON. */
  public JsonNode readinessJson() {
    String body = readiness();
    try {
      return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  /**
   * Waits until /readyz shows a listener for each connection name on its port: the agent has the
   * config that names them and accepts clients there.
   */
  public void awaitListening(Map<String, Integer> listeners, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode shown = readinessJson().path("listeners");
      List<String> missing = new ArrayList<>();
      listeners.forEach(
          (name, port) -> {
            if (shown.path(name).asInt(-1) != port) {
              missing.add(name + " on port " + port);
            }
          });
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the agent did not start listening for "
                + String.join(", ", missing)
                + " within "
                + timeout
                + " (listeners: "
                + shown
                + "); see "
                + log);
      }
      ManagedProcess.sleep(200);
    }
  }

  /** The HTTP status of a health path, or -1 when nothing answers. */
  public int status(String path) {
    return Probe.status("http://127.0.0.1:" + healthPort + path);
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public void kill() {
    if (process != null) {
      process.kill();
    }
  }

  public void stop() {
    stop(Duration.ofSeconds(10));
  }

  /** Stops the agent with SIGTERM, and with SIGKILL if it is still running after {@code grace}. */
  public void stop(Duration grace) {
    if (process != null) {
      process.stop(grace);
    }
  }

  /** The agent's exit status once it has ended; empty while it runs. */
  public OptionalInt exitValue() {
    return process == null ? OptionalInt.empty() : process.exitValue();
  }

  @Override
  public void close() {
    stop();
  }
}
