package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PgbenchThroughWardTest {

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward = ProxyHarness.start();
    ProxyHarness.Run init =
        ward.run(ward.grant(), "pgbench", "-i", "-q", "-s", "1", ward.conninfo("require"));
    assertThat(init.exitCode()).as(init.output()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended", "prepared"})
  void pgbenchRunsWithoutErrorsInEveryQueryMode(String mode) throws Exception {
    ProxyHarness.Run run =
        ward.run(
            ward.grant(),
            "pgbench",
            "-M",
            mode,
            "-c",
            "4",
            "-j",
            "2",
            "-t",
            "50",
            "-n",
            ward.conninfo("require"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("number of transactions actually processed: 200/200");
    assertThat(run.output()).contains("number of failed transactions: 0");
  }

  @Test
  void pgbenchSelectOnlyOverVerifyFullTls() throws Exception {
    ProxyHarness.Run run =
        ward.run(
            ward.grant(),
            "pgbench",
            "-S",
            "-M",
            "prepared",
            "-c",
            "2",
            "-t",
            "100",
            "-n",
            ward.conninfo("verify-full"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("number of transactions actually processed: 200/200");
  }
}
