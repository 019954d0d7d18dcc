package dev.ward.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process of the stack: started with its own environment, its output appended to a log
 * file, stopped with SIGTERM and, after a grace period, SIGKILL. Every process is also stopped when
 * the JVM that started it exits, so nothing is left running.
 */
public final class ManagedProcess implements AutoCloseable {

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;
  private Thread reaper;

  public ManagedProcess(
      String name, List<String> command, Map<String, String> environment, Path log) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  /** Starts the process; output goes to the log file. */
  public ManagedProcess start() throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    reaper = new Thread(() -> terminate(Duration.ofSeconds(10)), "stop-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
    return this;
  }

  /** Waits until the check passes, failing early when the process dies. */
  public void awaitReady(BooleanSupplier check, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited with code " + process.exitValue() + " while starting; see " + log);
      }
      if (check.getAsBoolean()) {
        return;
      }
      sleep(100);
    }
    throw new IOException(name + " did not become ready within " + timeout + "; see " + log);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** The exit status once the process has ended; empty while it runs or before it started. */
  public OptionalInt exitValue() {
    return process == null || process.isAlive()
        ? OptionalInt.empty()
        : OptionalInt.of(process.exitValue());
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
  }

  /** Stops the process politely (SIGTERM), then forcibly after the grace period. */
  public void stop(Duration grace) {
    if (process == null) {
      return;
    }
    terminate(grace);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException ignored) {
      // the JVM is exiting; the hook runs anyway
    }
  }

  private void terminate(Duration grace) {
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(grace)) {
        kill();
      }
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The java launcher running this JVM, so children run on the same JDK. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** JVM flags for child JVMs: quiet about Netty's use of Unsafe on JDK 24+. */
  public static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    if (Runtime.version().feature() >= 24) {
      flags.add("--sun-misc-unsafe-memory-access=allow");
    }
    flags.add("--enable-native-access=ALL-UNNAMED");
    return flags;
  }
}
