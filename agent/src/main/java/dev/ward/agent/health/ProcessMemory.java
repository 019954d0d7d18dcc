package dev.ward.agent.health;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's memory footprint as the operating system and the JVM see it, for /readyz: the
 * resident set (what counts against a container's limit) and the heap in use.
 */
public final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** {@code rssBytes} (-1 where /proc is missing) and {@code heapUsedBytes}. */
  public static JsonObject snapshot() {
    return new JsonObject()
        .put("rssBytes", residentBytes())
        .put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  /** VmRSS of this process in bytes, or -1 when the platform does not report it. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
