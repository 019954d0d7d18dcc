package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.stack.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A seconds-long run of the benchmark harness, so `make bench` cannot rot unnoticed. */
class BenchSmokeIT {

  @Test
  @Timeout(480)
  void theBenchmarkHarnessRunsEveryPartAndWritesItsReport() throws Exception {
    Path out = Path.of("target", "bench-smoke", "benchmarks.md").toAbsolutePath();
    Files.createDirectories(out.getParent());
    Path logs = BuildLogs.folder("bench-smoke").toAbsolutePath();
    ProcessBuilder harness =
        new ProcessBuilder(
                Repository.root().resolve("bench/bench.py").toString(),
                "--smoke",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("bench.log").toFile());
    // the stack the harness starts (control plane, agent, S3) logs with the rest of the build
    harness.environment().put("WARD_DEV_LOGS", logs.resolve("stack").toString());
    Process p = harness.start();
    assertThat(p.waitFor(420, TimeUnit.SECONDS)).as("harness finished").isTrue();
    assertThat(p.exitValue()).as("exit code; see %s", logs.resolve("bench.log")).isZero();
    String report = Files.readString(out);
    assertThat(report)
        .contains("| 1 | direct |", "| 1 | ward |", "| 1 | pgbouncer |", "| 1 | haproxy-tcp |")
        .contains("## Targets and where Ward stands", "added p50")
        .contains("## HTTP", "| 8 | direct |", "| 8 | nginx |")
        .contains("## Recording", "per 1,000 statements", "events to the spool, MB/s")
        .contains("## Config push", "## Agent footprint", "concurrent PostgreSQL sessions")
        .contains("## Proxy CPU per transaction", "| ward |", "| pgbouncer |")
        .contains("context switches per transaction", "## Proxy CPU per request", "| nginx |")
        .contains("## Where the agent's time goes", "| in the event loops |");
    assertThat(out.resolveSibling("bench-pg-select-only.png")).isNotEmptyFile();
    assertThat(out.resolveSibling("bench-http.png")).isNotEmptyFile();
  }
}
