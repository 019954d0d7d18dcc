package dev.ward.controlplane.session.recording;

import dev.ward.controlplane.common.Problem;
import dev.ward.recording.RecordingSource;
import dev.ward.recording.store.BucketSource;
import dev.ward.recording.store.MinioObjectStore;
import dev.ward.recording.store.ObjectKeys;
import dev.ward.recording.store.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bucket agents upload recordings to, as the control plane reads it: the objects of one session
 * of one tenant, under {@code tenants/<tenant-id>/sessions/<session-id>/}. The prefix is built here
 * from the caller's tenant and the indexed session id, never from what an agent reported, so no
 * call can reach another tenant's objects. Calls block; callers run on worker threads. The control
 * plane only reads and deletes here: agents create the bucket, so a missing one is an error ({@link
 * dev.ward.recording.store.MissingBucketException}), never created from this side.
 */
@ApplicationScoped
public class RecordingBucket {

  private final MinioObjectStore store;

  public RecordingBucket(
      @ConfigProperty(name = "ward.recording.endpoint") Optional<String> endpoint,
      @ConfigProperty(name = "ward.recording.region") Optional<String> region,
      @ConfigProperty(name = "ward.recording.bucket") String bucket,
      @ConfigProperty(name = "ward.recording.access-key") Optional<String> accessKey,
      @ConfigProperty(name = "ward.recording.secret-key") Optional<String> secretKey) {
    this.store =
        endpoint.isEmpty() || endpoint.get().isBlank()
            ? null
            : new MinioObjectStore(
                endpoint.get().strip(),
                region.orElse("").strip(),
                bucket,
                accessKey.orElse(""),
                secretKey.orElse(""),
                false);
  }

  /** Whether recording storage is configured at all. */
  public boolean configured() {
    return store != null;
  }

  /** The prefix of one session's objects, ending in a slash. */
  public static String prefix(UUID tenantId, UUID sessionId) {
    return ObjectKeys.session(tenantId.toString(), sessionId.toString());
  }

  /** The session's recording objects (segments and manifest; nothing else), read in place. */
  public RecordingSource source(UUID tenantId, UUID sessionId) {
    return new BucketSource(store(), prefix(tenantId, sessionId));
  }

  /** Deletes every object under the session's prefix; returns how many were deleted. */
  public int delete(UUID tenantId, UUID sessionId) throws IOException {
    ObjectStore s = store();
    int deleted = 0;
    for (ObjectStore.StoredObject o : s.list(prefix(tenantId, sessionId))) {
      s.delete(o.key());
      deleted++;
    }
    return deleted;
  }

  private ObjectStore store() {
    if (store == null) {
      throw notConfigured();
    }
    return store;
  }

  /** The answer when no bucket is configured. */
  public static Problem notConfigured() {
    return new Problem(
        503,
        "Recording Storage Unavailable",
        "This control plane has no recording storage configured: set WARD_RECORDING_ENDPOINT,"
            + " WARD_RECORDING_BUCKET, WARD_RECORDING_ACCESS_KEY and WARD_RECORDING_SECRET_KEY to"
            + " the bucket the agents upload to.");
  }

  @PreDestroy
  void close() {
    if (store != null) {
      store.close();
    }
  }
}
