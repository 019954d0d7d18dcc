package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSecretScannerTest {

  static final String QUIET = "2026-12-07 07:00:00 INFO  [dev.ward] session 42 closed\n";

  @TempDir Path logs;

  @Test
  void aPlantedAgentTokenInANestedLogIsReportedWithItsFileAndLine() throws Exception {
    Path log = logs.resolve("faults-1/agent.log");
    String token = "wat_" + "Q".repeat(43);
    write(log, QUIET + QUIET + "connecting with token " + token + "\n" + QUIET);

    LogSecretScanner.Report report = new LogSecretScanner(List.of()).scan(logs);

    assertThat(report.findings()).hasSize(1);
    LogSecretScanner.Finding f = report.findings().get(0);
    assertThat(f.file()).isEqualTo(log);
    assertThat(f.line()).isEqualTo(3);
    assertThat(f.kind()).isEqualTo("agent token");
    assertThat(f.toString()).doesNotContain(token);
  }

  @Test
  void everyShapeOfSecretIsRecognised() throws Exception {
    List<String> planted =
        List.of(
            "wat_" + "a1B2-c3_D".repeat(5),
            "wapi_" + "Zz09".repeat(11),
            "wboot_it-6f1c2b7e-1d2a",
            "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhZGEiLCJ0ZW4iOiJpdCJ9."
                + "c2lnbmF0dXJlLW9mLXRoZS1ncmFudA",
            "xoxb-it-1765091234567",
            "AKIAQ3EGRBXJ7K4N2WPZ",
            "ghp_R8nV2xQ7mK4pL9sT3wY6zB1cD5fG0hJ2kM7q",
            "sk_live_51Hq8ZkL2mN4pQ7rS9tV1wX3yZ5bC8dF0gH2jK");
    for (int i = 0; i < planted.size(); i++) {
      write(logs.resolve("p" + i + ".log"), QUIET + "value=" + planted.get(i) + "\n");
    }

    LogSecretScanner.Report report = new LogSecretScanner(List.of()).scan(logs);

    assertThat(report.findings()).hasSize(planted.size());
    assertThat(report.findings().stream().map(LogSecretScanner.Finding::kind).distinct())
        .hasSize(LogSecretScanner.SHAPES.size());
  }

  @Test
  void aWatchedPasswordIsFoundVerbatimAndNotRepeatedInTheReport() throws Exception {
    String password = "upstream-Secret-1765091234567";
    write(
        logs.resolve("s3.log.1"),
        QUIET + "FATAL: password authentication failed: " + password + "\n");

    LogSecretScanner.Report report =
        new LogSecretScanner(List.of(password, "", "short")).scan(logs);

    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("secret handed to a process");
              assertThat(f.toString()).doesNotContain(password);
            });
  }

  @Test
  void cleanLogsHaveNoFindingAndOnlyLogFilesAreRead() throws Exception {
    write(logs.resolve("cp/control-plane.log"), QUIET.repeat(200));
    // a data file beside the logs is not a log, whatever it holds
    write(logs.resolve("cp/agent-data/config.json"), "{\"token\":\"wat_" + "x".repeat(43) + "\"}");

    LogSecretScanner.Report report = new LogSecretScanner(List.of("never-written")).scan(logs);

    assertThat(report.findings()).isEmpty();
    assertThat(report.files()).isEqualTo(1);
    assertThat(report.bytes()).isEqualTo(QUIET.length() * 200L);
  }

  @Test
  void aScanThatReadAlmostNothingIsNotSubstantial() throws Exception {
    assertThat(new LogSecretScanner(List.of()).scan(logs.resolve("missing")).substantial())
        .isFalse();
    write(logs.resolve("faults-1/agent.log"), QUIET);
    write(logs.resolve("faults-1/control-plane.log"), QUIET);
    assertThat(new LogSecretScanner(List.of()).scan(logs).substantial()).isFalse();
    write(logs.resolve("faults-1/control-plane.log"), QUIET.repeat(100));
    assertThat(new LogSecretScanner(List.of()).scan(logs).substantial()).isTrue();
  }

  @Test
  void aTestFolderWhoseProcessesLoggedElsewhereMakesTheScanInsubstantial() throws Exception {
    write(logs.resolve("faults-1/agent.log"), QUIET.repeat(100));
    write(logs.resolve("faults-1/control-plane.log"), QUIET.repeat(100));
    write(logs.resolve("load-2/agent-data/config.json"), "{}");

    LogSecretScanner.Report report = new LogSecretScanner(List.of()).scan(logs);

    assertThat(report.silentFolders()).containsExactly(logs.resolve("load-2"));
    assertThat(report.substantial()).isFalse();
  }

  @Test
  void aLogBesideTheTestFoldersIsReadTooAndOnlyTestFoldersMustHoldALog() throws Exception {
    write(logs.resolve("logs/faults-1/agent.log"), QUIET.repeat(100));
    write(
        logs.resolve("it-logs/shutdown-2/agent.log"),
        QUIET
            + "grant eyJhbGciOiJFZERTQSJ9."
            + "eyJzdWIiOiJhZGEiLCJ0ZW4iOiJpdCJ9.c2lnbmF0dXJlLW9mLXRoZS1ncmFudA\n");
    Files.createDirectories(logs.resolve("classes"));

    LogSecretScanner.Report report =
        new LogSecretScanner(List.of()).scan(logs, logs.resolve("logs"));

    assertThat(report.files()).isEqualTo(2);
    assertThat(report.silentFolders()).isEmpty();
    assertThat(report.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.file()).endsWith(Path.of("shutdown-2/agent.log")));
  }

  static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
