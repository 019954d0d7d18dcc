package dev.ward.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the processes of every integration test write their logs — one folder per build, {@code
 * target/logs}, emptied before the tests run — and the secrets of this build that must never appear
 * in them. {@code LogSecretScanIT} runs after all other integration tests and reads both.
 */
final class BuildLogs {

  /** Every process log of the build lies somewhere under this folder. */
  static final Path ROOT = Path.of("target", "logs");

  /** The secrets tests created in this build, one a line; kept outside {@link #ROOT}. */
  static final Path WATCHED = Path.of("target", "log-scan", "watched-secrets.txt");

  private BuildLogs() {}

  /** A new folder for one test's processes, e.g. {@code target/logs/faults-1765091234567}. */
  static Path folder(String name) throws IOException {
    Path folder = ROOT.resolve(name + "-" + System.currentTimeMillis());
    Files.createDirectories(folder);
    return folder;
  }

  /**
   * Adds a secret the test hands to a process (a password, a signing secret, a master key) to those
   * the final scan looks for, and returns it. Tokens Ward issues (agent and API tokens, grants) are
   * found by their shape and need not be added.
   */
  static synchronized String watched(String secret) {
    try {
      Files.createDirectories(WATCHED.getParent());
      Files.writeString(
          WATCHED,
          secret + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return secret;
  }
}
