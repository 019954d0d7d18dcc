package dev.ward.recording.store;

import dev.ward.recording.RecordingSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One session's recording read in place from a bucket. Only names of the format are taken from
 * under the prefix; anything else stored there is neither listed nor read.
 */
public final class BucketSource implements RecordingSource {

  private final ObjectStore store;
  private final String prefix;

  /**
   * @param prefix the session's prefix, as {@link ObjectKeys#session} builds it
   */
  public BucketSource(ObjectStore store, String prefix) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a session prefix ends in a slash: " + prefix);
    }
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  public List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    for (ObjectStore.StoredObject o : store.list(prefix)) {
      String name = o.key().substring(prefix.length());
      if (ObjectKeys.isRecordingName(name)) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public Optional<byte[]> read(String name, int maxBytes) throws IOException {
    return ObjectKeys.isRecordingName(name) ? store.get(prefix + name, maxBytes) : Optional.empty();
  }
}
