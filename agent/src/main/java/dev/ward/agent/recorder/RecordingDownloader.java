package dev.ward.agent.recorder;

import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSource;
import dev.ward.recording.store.BucketSource;
import dev.ward.recording.store.ObjectKeys;
import dev.ward.recording.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a session's recording from the bucket: as a {@link RecordingSource} to verify or replay in
 * place, or downloaded into a folder for {@code ward verify} offline.
 */
public final class RecordingDownloader {

  private final ObjectStore store;

  public RecordingDownloader(ObjectStore store) {
    this.store = store;
  }

  /** The session's objects, read straight from the bucket. */
  public RecordingSource source(String tenant, String sessionId) {
    return new BucketSource(store, ObjectKeys.session(tenant, sessionId));
  }

  /** Downloads the session's objects into {@code dir}; returns how many. */
  public int download(String tenant, String sessionId, Path dir) throws IOException {
    Files.createDirectories(dir);
    RecordingSource source = source(tenant, sessionId);
    int count = 0;
    for (String name : source.names()) {
      int max =
          name.equals(RecordingFormat.MANIFEST_NAME)
              ? RecordingFormat.MAX_MANIFEST_BYTES
              : RecordingFormat.MAX_SEGMENT_BYTES;
      Optional<byte[]> bytes = source.read(name, max);
      if (bytes.isPresent()) {
        Files.write(dir.resolve(name), bytes.get());
        count++;
      }
    }
    return count;
  }
}
