package dev.ward.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.recording.RecordingSigner;
import dev.ward.recording.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentSigningKeyTest {

  @TempDir Path dataDir;

  @Test
  void keyIsCreatedOnFirstStartReadableOnlyByTheAgentAndKeptAcrossRestarts() throws Exception {
    RecordingSigner first = AgentSigningKey.loadOrCreate(dataDir);
    RecordingSigner again = AgentSigningKey.loadOrCreate(dataDir);

    Path file = dataDir.resolve(AgentSigningKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(again.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
  }

  @Test
  void publicKeyIsAnnouncedAsBase64SpkiThatVerifiersCanParse() throws Exception {
    RecordingSigner signer = AgentSigningKey.loadOrCreate(dataDir);

    assertThat(TrustedKeys.parse(signer.publicKeyBase64())).isEqualTo(signer.publicKey());
  }
}
