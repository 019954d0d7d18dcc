package dev.ward.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.controlplane.common.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AgentVersionTest {

  @Test
  void releasesPreReleasesAndSnapshotsAreVersions() {
    assertThat(new AgentVersion("0.1.0").tarballName()).isEqualTo("ward-agent-0.1.0.tar.gz");
    assertThat(new AgentVersion("0.1.0-SNAPSHOT").checksumName())
        .isEqualTo("ward-agent-0.1.0-SNAPSHOT.tar.gz.sha256");
    assertThat(new AgentVersion("12.0.3-rc.1").value()).isEqualTo("12.0.3-rc.1");
  }

  @Test
  void pathsAndOversizedTextAreRefusedAsAnInvalidVersion() {
    for (String bad :
        List.of(
            "../../etc/passwd",
            "1.0.0/../../x",
            "1.0.0-a/b",
            "1.0",
            "",
            "1.0.0-" + "a".repeat(60),
            "1.0.0\n")) {
      assertThatThrownBy(() -> new AgentVersion(bad))
          .as(bad)
          .isInstanceOf(Problem.class)
          .satisfies(p -> assertThat(((Problem) p).status()).isEqualTo(400));
      assertThat(AgentVersion.tryParse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void versionsOrderNumericallyAndAReleaseAfterItsPreReleases() {
    List<String> sorted =
        Stream.of("1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9", "1.2.0-SNAPSHOT")
            .map(AgentVersion::new)
            .sorted()
            .map(AgentVersion::value)
            .toList();
    assertThat(sorted).containsExactly("0.9.9", "1.2.0-SNAPSHOT", "1.2.0-rc.1", "1.2.0", "1.10.0");
  }
}
