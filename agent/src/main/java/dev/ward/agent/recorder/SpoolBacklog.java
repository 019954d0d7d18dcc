package dev.ward.agent.recorder;

import dev.ward.recording.RecordingFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How many bytes of sealed recording (segments and manifests) wait in the spool for upload, against
 * the agent's limit. Journals of open sessions are not counted: each is bounded by the journal
 * size. The figure is computed by listing the spool, at most once per {@code refreshNanos}, so
 * opening many sessions at once does not list it each time; {@link #lastMeasured()} reads it
 * without touching the disk (for health checks on an event loop).
 */
final class SpoolBacklog {

  private final Path spool;
  private final long maxBytes;
  private final long refreshNanos;
  private long measuredAt;
  private long bytes = -1;

  SpoolBacklog(Path spool, long maxBytes, long refreshNanos) {
    this.spool = spool;
    this.maxBytes = maxBytes;
    this.refreshNanos = refreshNanos;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The bytes waiting for upload, measured at most {@code refreshNanos} ago. */
  synchronized long bytes() throws IOException {
    long now = System.nanoTime();
    if (bytes < 0 || now - measuredAt >= refreshNanos) {
      bytes = measure();
      measuredAt = now;
    }
    return bytes;
  }

  /** The figure of the last measurement, 0 before the first; never touches the disk. */
  synchronized long lastMeasured() {
    return Math.max(bytes, 0);
  }

  /** Whether the backlog has reached the limit. */
  boolean full() throws IOException {
    return bytes() >= maxBytes;
  }

  private long measure() throws IOException {
    long total = 0;
    for (Path dir : SessionFolder.list(spool)) {
      try (Stream<Path> files = Files.list(dir)) {
        total += files.filter(SpoolBacklog::sealed).mapToLong(SpoolBacklog::size).sum();
      } catch (NoSuchFileException e) {
        // uploaded and deleted while we looked
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return total;
  }

  private static boolean sealed(Path p) {
    String name = p.getFileName().toString();
    return name.equals(RecordingFormat.MANIFEST_NAME) || RecordingFormat.segmentIndexOf(name) > 0;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
