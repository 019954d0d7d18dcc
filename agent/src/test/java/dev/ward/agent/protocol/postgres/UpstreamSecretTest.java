package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamSecretTest {

  @Test
  void envReferenceReadsTheAgentsEnvironment() throws Exception {
    assertThat(UpstreamSecret.resolve("env:PG_PASS", Map.of("PG_PASS", "s3cret")))
        .isEqualTo("s3cret");
    assertThatThrownBy(() -> UpstreamSecret.resolve("env:MISSING", Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("MISSING");
  }

  @Test
  void fileReferenceDropsTheTrailingLineBreak(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pw");
    Files.writeString(f, "s3cret\n");
    assertThat(UpstreamSecret.resolve("file:" + f, Map.of())).isEqualTo("s3cret");
  }

  @Test
  void otherReferencesAreRefused() {
    assertThatThrownBy(() -> UpstreamSecret.resolve("vault:x", Map.of()))
        .isInstanceOf(IOException.class);
  }
}
