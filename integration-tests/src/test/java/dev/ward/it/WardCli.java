package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.stack.ManagedProcess;
import dev.ward.stack.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code ward} command (the built CLI jar) as the integration tests run it. */
final class WardCli {

  /** What a run printed (output and errors together) and its exit status. */
  record Run(int status, String out) {}

  private WardCli() {}

  /** {@code ward} with the arguments, in this process's environment. */
  static ProcessBuilder command(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ManagedProcess.javaBinary(),
                "-jar",
                Repository.artifact("cli/target/ward-cli.jar").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  /** {@code ward} calling the fixture's API with its tenant admin's token. */
  static ProcessBuilder asTenantAdmin(ControlPlaneFixture cp, String... args) {
    ProcessBuilder pb = command(args);
    pb.environment().put("WARD_API_URL", cp.url() + "/api/v1");
    pb.environment().put("WARD_API_TOKEN", cp.tenantAdminToken);
    return pb;
  }

  /** {@code ward} with no API settings but what its config folder holds (a person's sign-in). */
  static ProcessBuilder withConfig(Path config, String... args) {
    ProcessBuilder pb = command(args);
    pb.environment().remove("WARD_API_URL");
    pb.environment().remove("WARD_API_TOKEN");
    pb.environment().put("WARD_CONFIG_DIR", config.toString());
    return pb;
  }

  /** Runs the command with no input, and expects it to end within {@code timeout}. */
  static Run run(ProcessBuilder command, Duration timeout) throws Exception {
    Process p = command.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .as(out)
        .isTrue();
    return new Run(p.exitValue(), out);
  }
}
