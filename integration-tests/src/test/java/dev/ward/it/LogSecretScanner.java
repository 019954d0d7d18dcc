package dev.ward.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads every log file under a folder and reports each line holding a secret: a token Ward issues,
 * recognised by its shape (agent and API tokens, bootstrap tokens, grants and other JWTs), a Slack
 * bot token, one of the demo data's leaked keys, or one of the exact secrets a build's tests handed
 * to their processes. Findings never repeat the secret, only its kind and first characters.
 */
final class LogSecretScanner {

  /** Below this a scan proves nothing: the logs it was meant to read were not written. */
  static final int MIN_FILES = 2;

  static final long MIN_BYTES = 4 << 10;

  /** Secrets found by their shape, whoever created them. */
  static final Map<String, Pattern> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("agent token", Pattern.compile("wat_[A-Za-z0-9_-]{40,}"));
    SHAPES.put("API token", Pattern.compile("wapi_[A-Za-z0-9_-]{40,}"));
    SHAPES.put("bootstrap token", Pattern.compile("wboot_[A-Za-z0-9_-]{8,}"));
    SHAPES.put(
        "grant or other JWT",
        Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}"));
    SHAPES.put("Slack token", Pattern.compile("xox[abprs]-[A-Za-z0-9-]{6,}"));
    // the keys the demo database and demo servers hand out for masking to act on
    SHAPES.put("AWS access key", Pattern.compile("AKIA[0-9A-Z]{16}"));
    SHAPES.put("GitHub token", Pattern.compile("ghp_[A-Za-z0-9]{36}"));
    SHAPES.put("Stripe key", Pattern.compile("sk_live_[A-Za-z0-9]{20,}"));
  }

  /** One line of one log holding a secret. */
  record Finding(Path file, int line, String kind, String hint) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + kind + " " + hint;
    }
  }

  /**
   * What a scan read and what it found. {@code silentFolders} are test folders without a single
   * log: a test made a folder for its processes' logs, and they went elsewhere.
   */
  record Report(int files, long bytes, List<Path> silentFolders, List<Finding> findings) {

    /** Whether enough was read for an empty list of findings to mean something. */
    boolean substantial() {
      return files >= MIN_FILES && bytes >= MIN_BYTES && silentFolders.isEmpty();
    }
  }

  private final Set<String> exact = new TreeSet<>();

  /**
   * @param exact secrets to look for verbatim; blank lines and values shorter than 8 characters
   *     (too common to mean a leak) are left out
   */
  LogSecretScanner(Collection<String> exact) {
    for (String s : exact) {
      if (s.strip().length() >= 8) {
        this.exact.add(s.strip());
      }
    }
  }

  /** A log: {@code *.log}, or a rotated {@code *.log.1}. */
  static boolean isLog(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".log") || name.matches(".+\\.log\\.\\d+");
  }

  /** Reads every log under {@code root}, at any depth; each folder of tests must hold a log. */
  Report scan(Path root) throws IOException {
    return scan(root, root);
  }

  /**
   * Reads every log under {@code root}, at any depth, and reports the folders right under {@code
   * tests} (tests' log folders, inside {@code root}) that hold none.
   */
  Report scan(Path root, Path tests) throws IOException {
    if (!Files.isDirectory(root)) {
      return new Report(0, 0, List.of(), List.of());
    }
    List<Path> logs;
    try (Stream<Path> files = Files.walk(root)) {
      logs = files.filter(Files::isRegularFile).filter(LogSecretScanner::isLog).sorted().toList();
    }
    List<Path> silent = List.of();
    if (Files.isDirectory(tests)) {
      try (Stream<Path> folders = Files.list(tests)) {
        silent =
            folders
                .filter(Files::isDirectory)
                .filter(folder -> logs.stream().noneMatch(log -> log.startsWith(folder)))
                .sorted()
                .toList();
      }
    }
    List<Finding> findings = new ArrayList<>();
    long bytes = 0;
    for (Path log : logs) {
      bytes += Files.size(log);
      // ISO-8859-1 maps every byte, so a binary line cannot stop the scan
      try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          scanLine(log, number, line, findings);
        }
      }
    }
    return new Report(logs.size(), bytes, silent, findings);
  }

  private void scanLine(Path log, int number, String line, List<Finding> findings) {
    for (Map.Entry<String, Pattern> shape : SHAPES.entrySet()) {
      Matcher m = shape.getValue().matcher(line);
      if (m.find()) {
        findings.add(new Finding(log, number, shape.getKey(), hint(m.group())));
      }
    }
    for (String secret : exact) {
      if (line.contains(secret)) {
        findings.add(new Finding(log, number, "secret handed to a process", hint(secret)));
      }
    }
  }

  /** Enough to find the secret again in the test that made it, too little to use it. */
  private static String hint(String secret) {
    return "("
        + secret.substring(0, Math.min(6, secret.length() / 4))
        + "…, "
        + secret.length()
        + " characters)";
  }
}
