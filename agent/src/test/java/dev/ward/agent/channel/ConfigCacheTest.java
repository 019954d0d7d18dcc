package dev.ward.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCacheTest {

  @TempDir Path dir;

  @Test
  void aSavedSnapshotIsLoadedBackUnchanged() throws Exception {
    ConfigSnapshot snapshot =
        ConfigSnapshot.newBuilder()
            .setVersion(42)
            .setTenantId("t1")
            .addConnections(Connection.newBuilder().setName("db").setSecretRef("env:DB_PASSWORD"))
            .build();
    new ConfigCache(dir).save(snapshot);
    assertThat(new ConfigCache(dir).load()).contains(snapshot);
  }

  @Test
  void theCacheFileIsReadableOnlyByTheAgent() throws Exception {
    new ConfigCache(dir).save(ConfigSnapshot.newBuilder().setVersion(1).build());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("config.snapshot"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aNewerSnapshotReplacesTheOlderOne() throws Exception {
    ConfigCache cache = new ConfigCache(dir);
    cache.save(ConfigSnapshot.newBuilder().setVersion(1).build());
    cache.save(ConfigSnapshot.newBuilder().setVersion(2).build());
    assertThat(cache.load().orElseThrow().getVersion()).isEqualTo(2);
    assertThat(dir.resolve("config.snapshot.tmp")).doesNotExist();
  }

  @Test
  void noCacheMeansEmpty() {
    assertThat(new ConfigCache(dir).load()).isEmpty();
  }

  @Test
  void aCorruptCacheIsIgnoredRatherThanCrashingTheAgent() throws Exception {
    Files.write(dir.resolve("config.snapshot"), new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThat(new ConfigCache(dir).load()).isEmpty();
  }
}
