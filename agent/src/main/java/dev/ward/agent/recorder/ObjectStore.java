package dev.ward.agent.recorder;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The S3-compatible bucket recordings are moved to. Every failure is an {@link IOException}. */
public interface ObjectStore {

  /** Creates the bucket when it does not exist yet. */
  void ensureBucket() throws IOException;

  /** Stores an object; returns only once storage confirmed it. */
  void put(String key, byte[] bytes) throws IOException;

  /** Keys and sizes of the objects under a prefix. */
  List<StoredObject> list(String prefix) throws IOException;

  /** Reads an object (empty when there is none), refusing one larger than {@code maxBytes}. */
  Optional<byte[]> get(String key, int maxBytes) throws IOException;

  /** One listed object. */
  record StoredObject(String key, long size) {}
}
