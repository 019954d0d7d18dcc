package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test of the build (its own failsafe execution, see the
 * module's pom.xml) and reads all the logs their processes wrote — under {@code target/logs}, and
 * any other {@code *.log} of the module's build folder: agents, control planes, Keycloak, S3Proxy,
 * the stack {@code make dev} starts, whatever a test added. Not one line may hold a secret.
 */
class LogSecretScanIT {

  @Test
  void noLogOfTheBuildHoldsASecret() throws Exception {
    List<String> watched = new ArrayList<>();
    if (Files.exists(BuildLogs.WATCHED)) {
      watched.addAll(Files.readAllLines(BuildLogs.WATCHED));
    }
    // the S3Proxy credentials the tests' storage shares
    watched.add("ward-it-secret-key");
    // the whole build folder, so that a log a test writes beside target/logs is read too
    Path build = BuildLogs.ROOT.toAbsolutePath().getParent();
    LogSecretScanner.Report report =
        new LogSecretScanner(watched).scan(build, BuildLogs.ROOT.toAbsolutePath());
    System.out.printf(
        "LogSecretScanIT: %d log files, %d KiB, %d watched secrets, %d findings%n",
        report.files(), report.bytes() >> 10, watched.size(), report.findings().size());
    assertThat(report.substantial())
        .as(
            "the scan read %d log files (%d bytes) under %s, and these test folders hold no log:"
                + " %s. The other integration tests must run first in the same build, their"
                + " processes logging into their folders",
            report.files(), report.bytes(), build, report.silentFolders())
        .isTrue();
    assertThat(report.findings().size())
        .as(
            "secrets in logs:%n%s",
            String.join("\n", report.findings().stream().limit(40).map(String::valueOf).toList()))
        .isZero();
  }
}
