package dev.ward.recording.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The S3-compatible bucket recordings live in: agents write to it, the control plane reads and
 * deletes from it. Every failure is an {@link IOException} whose message names what storage said,
 * never a credential; a bucket that does not exist is a {@link MissingBucketException}.
 */
public interface ObjectStore {

  /** Creates the bucket when it does not exist yet. */
  void ensureBucket() throws IOException;

  /** Stores an object; returns only once storage confirmed it. */
  void put(String key, byte[] bytes) throws IOException;

  /** Keys and sizes of the objects under a prefix, following every page of the listing. */
  List<StoredObject> list(String prefix) throws IOException;

  /** Reads an object (empty when there is none), refusing one larger than {@code maxBytes}. */
  Optional<byte[]> get(String key, int maxBytes) throws IOException;

  /** Deletes an object; deleting one that is not there is not an error. */
  void delete(String key) throws IOException;

  /** One listed object. */
  record StoredObject(String key, long size) {}
}
