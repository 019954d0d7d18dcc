package dev.ward.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void reportsTheResidentSetAndTheHeapInUse() {
    JsonObject memory = ProcessMemory.snapshot();
    // this process runs a JVM: tens of megabytes at least
    assertThat(memory.getLong("rssBytes")).isGreaterThan(10L << 20);
    assertThat(memory.getLong("heapUsedBytes")).isPositive();
  }
}
