package dev.ward.agent.recorder;

import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a session's recording from the bucket: as a {@link RecordingSource} to verify or replay in
 * place, or downloaded into a folder for {@code ward verify} offline. Only names of the format are
 * taken; anything else under the prefix is ignored.
 */
public final class RecordingDownloader {

  private final ObjectStore store;

  public RecordingDownloader(ObjectStore store) {
    this.store = store;
  }

  /** The session's objects, read straight from the bucket. */
  public RecordingSource source(String tenant, String sessionId) {
    String prefix = ObjectKeys.session(tenant, sessionId);
    return new RecordingSource() {
      @Override
      public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        for (ObjectStore.StoredObject o : store.list(prefix)) {
          String name = o.key().substring(prefix.length());
          if (isRecordingName(name)) {
            names.add(name);
          }
        }
        return names;
      }

      @Override
      public Optional<byte[]> read(String name, int maxBytes) throws IOException {
        if (!isRecordingName(name)) {
          return Optional.empty();
        }
        return store.get(prefix + name, maxBytes);
      }
    };
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

  private static boolean isRecordingName(String name) {
    return name.equals(RecordingFormat.MANIFEST_NAME) || RecordingFormat.segmentIndexOf(name) > 0;
  }
}
