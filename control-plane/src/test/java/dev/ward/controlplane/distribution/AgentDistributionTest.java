package dev.ward.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.controlplane.common.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class AgentDistributionTest {

  @TempDir Path dir;

  @Test
  void withoutAFolderNothingIsServedAndTheProblemSaysHowToInstallOne() {
    AgentDistribution none = new AgentDistribution(Optional.empty());
    assertThat(none.installed()).isFalse();
    assertThat(none.versions()).isEmpty();
    assertThatThrownBy(none::newest)
        .isInstanceOf(Problem.class)
        .hasMessageContaining("WARD_DISTRIBUTION_DIR")
        .satisfies(p -> assertThat(((Problem) p).status()).isEqualTo(404));
  }

  @Test
  void theNewestTarballIsTheDefaultAndOtherFilesAreIgnored() throws Exception {
    Files.writeString(dir.resolve("ward-agent-1.2.0.tar.gz"), "a");
    Files.writeString(dir.resolve("ward-agent-1.10.0.tar.gz"), "b");
    Files.writeString(dir.resolve("ward-agent-1.10.0.tar.gz.sha256"), "c");
    Files.writeString(dir.resolve("ward-agent-evil..tar.gz"), "d");
    Files.writeString(dir.resolve("notes.txt"), "e");
    AgentDistribution distribution = new AgentDistribution(Optional.of(dir.toString()));

    assertThat(distribution.versions())
        .extracting(AgentVersion::value)
        .containsExactly("1.2.0", "1.10.0");
    assertThat(distribution.newest().value()).isEqualTo("1.10.0");
    assertThat(distribution.resolve(Optional.of(new AgentVersion("1.2.0"))).value())
        .isEqualTo("1.2.0");
    assertThat(distribution.checksum(new AgentVersion("1.10.0")))
        .isEqualTo(dir.resolve("ward-agent-1.10.0.tar.gz.sha256"));
  }

  @Test
  void aVersionNotServedOrWithoutChecksumIsA404NamingWhatIsAvailable() throws Exception {
    Files.writeString(dir.resolve("ward-agent-1.2.0.tar.gz"), "a");
    AgentDistribution distribution = new AgentDistribution(Optional.of(dir.toString()));

    assertThatThrownBy(() -> distribution.resolve(Optional.of(new AgentVersion("9.9.9"))))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("9.9.9")
        .hasMessageContaining("available: 1.2.0");
    assertThatThrownBy(() -> distribution.checksum(new AgentVersion("1.2.0")))
        .isInstanceOf(Problem.class);
  }

  @Test
  void aLinkInTheFolderIsNotFollowed() throws Exception {
    Path outside = Files.writeString(dir.resolveSibling(dir.getFileName() + "-secret"), "x");
    try {
      Files.createSymbolicLink(dir.resolve("ward-agent-1.0.0.tar.gz"), outside);
      AgentDistribution distribution = new AgentDistribution(Optional.of(dir.toString()));
      assertThatThrownBy(() -> distribution.tarball(new AgentVersion("1.0.0")))
          .isInstanceOf(Problem.class);
    } finally {
      Files.deleteIfExists(outside);
    }
  }
}
