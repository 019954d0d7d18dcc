package dev.ward.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.channel.ConfigCache;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnforcedConfigTest {

  @TempDir Path dir;

  private static ConfigSnapshot snapshot(long version, String tenant) {
    return ConfigSnapshot.newBuilder().setVersion(version).setTenantId(tenant).build();
  }

  @Test
  void anAcceptedSnapshotIsEnforcedAndCached() throws Exception {
    EnforcedConfig config = new EnforcedConfig(new ConfigCache(dir));
    config.apply(snapshot(3, "t")).toCompletableFuture().get();
    assertThat(config.current().orElseThrow().getVersion()).isEqualTo(3);
    assertThat(new ConfigCache(dir).load().orElseThrow().getVersion()).isEqualTo(3);
  }

  @Test
  void aSnapshotAStageRejectsLeavesThePreviousOneInForce() throws Exception {
    EnforcedConfig config = new EnforcedConfig(new ConfigCache(dir));
    config.apply(snapshot(1, "t")).toCompletableFuture().get();
    config.addStage(
        s ->
            s.getVersion() == 2
                ? CompletableFuture.failedFuture(new IllegalArgumentException("port in use"))
                : CompletableFuture.completedFuture(null));
    assertThatThrownBy(() -> config.apply(snapshot(2, "t")).toCompletableFuture().get())
        .hasMessageContaining("port in use");
    assertThat(config.current().orElseThrow().getVersion()).isEqualTo(1);
    assertThat(new ConfigCache(dir).load().orElseThrow().getVersion()).isEqualTo(1);
  }

  @Test
  void aSnapshotOfAnotherTenantIsRefused() throws Exception {
    EnforcedConfig config = new EnforcedConfig(new ConfigCache(dir));
    config.apply(snapshot(1, "tenant-a")).toCompletableFuture().get();
    assertThatThrownBy(() -> config.apply(snapshot(2, "tenant-b")).toCompletableFuture().get())
        .hasMessageContaining("another organisation");
    assertThat(config.current().orElseThrow().getTenantId()).isEqualTo("tenant-a");
  }
}
