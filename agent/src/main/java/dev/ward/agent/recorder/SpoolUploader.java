package dev.ward.agent.recorder;

import dev.ward.agent.channel.Backoff;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.store.MissingBucketException;
import dev.ward.recording.store.ObjectKeys;
import dev.ward.recording.store.ObjectStore;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Moves sealed segments and manifests from the spool to object storage, in the background. A file
 * leaves the spool only after storage confirmed it; while storage is down the uploader retries with
 * exponential backoff and jitter and the spool simply grows — nothing is dropped. A session's
 * manifest is uploaded after all its segments, so a manifest in the bucket means the whole
 * recording is there.
 *
 * <p>The newest segment of an open session stays in the spool even once uploaded: crash recovery
 * chains the next segment to it.
 */
public final class SpoolUploader implements AutoCloseable {

  private static final Logger LOG = System.getLogger(SpoolUploader.class.getName());

  private final Path spool;
  private final ObjectStore store;
  private final Backoff backoff;
  private final Semaphore wake = new Semaphore(0);
  private final Set<Path> uploaded = new HashSet<>();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean bucketReady;
  private boolean failing;
  private volatile long uploadedObjects;

  public SpoolUploader(Path spool, ObjectStore store) {
    this(
        spool,
        store,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), ThreadLocalRandom.current()));
  }

  public SpoolUploader(Path spool, ObjectStore store, Backoff backoff) {
    this.spool = spool;
    this.store = store;
    this.backoff = backoff;
    this.thread = new Thread(this::run, "ward-recording-uploader");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Something new was sealed: look at the spool now rather than at the next periodic scan. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** Objects confirmed by storage since start. */
  public long uploadedObjects() {
    return uploadedObjects;
  }

  /** Whether the last attempt to reach storage failed (for health reporting). */
  public boolean storageFailing() {
    return failing;
  }

  private void run() {
    while (running) {
      try {
        boolean progressed = uploadOnce();
        backoff.reset();
        if (failing) {
          failing = false;
          LOG.log(Level.INFO, "Object storage reachable again; uploading the spool");
        }
        if (!progressed) {
          wake.tryAcquire(1, TimeUnit.SECONDS);
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        if (e instanceof MissingBucketException) {
          // Deleted while the agent runs: the next attempt creates it again.
          bucketReady = false;
        }
        Duration delay = backoff.next();
        if (!failing) {
          failing = true;
          LOG.log(
              Level.WARNING,
              "Cannot upload recordings ({0}); keeping them in the spool and retrying with"
                  + " backoff",
              e.getMessage());
        } else {
          LOG.log(Level.DEBUG, "Upload retry failed: {0}", e.getMessage());
        }
        try {
          // Not woken early by new segments: a down store should not be hammered.
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          break;
        }
      }
    }
  }

  /** One pass over the spool; true when it uploaded something. */
  boolean uploadOnce() throws IOException {
    boolean progressed = false;
    for (Path dir : SessionFolder.list(spool)) {
      SessionFolder folder = SessionFolder.open(dir);
      if (folder != null && running) {
        progressed |= upload(folder);
      }
    }
    return progressed;
  }

  private boolean upload(SessionFolder folder) throws IOException {
    // Looked at before listing segments: once the manifest exists, every segment does too.
    boolean closed = folder.isClosed();
    TreeMap<Long, Path> segments = folder.segments();
    String prefix = ObjectKeys.session(folder.tenant(), folder.sessionId());
    boolean progressed = false;
    for (Map.Entry<Long, Path> s : segments.entrySet()) {
      Path file = s.getValue();
      if (!uploaded.contains(file)) {
        ensureBucket();
        store.put(prefix + file.getFileName(), read(file, RecordingFormat.MAX_SEGMENT_BYTES));
        uploaded.add(file);
        uploadedObjects++;
        progressed = true;
      }
    }
    if (closed) {
      ensureBucket();
      store.put(
          prefix + RecordingFormat.MANIFEST_NAME,
          read(folder.manifest(), RecordingFormat.MAX_MANIFEST_BYTES));
      uploadedObjects++;
      folder.delete();
      uploaded.removeIf(p -> p.startsWith(folder.dir()));
      return true;
    }
    if (!segments.isEmpty()) {
      long newest = segments.lastKey();
      for (Map.Entry<Long, Path> s : segments.headMap(newest).entrySet()) {
        Files.deleteIfExists(s.getValue());
        uploaded.remove(s.getValue());
      }
    }
    return progressed;
  }

  private void ensureBucket() throws IOException {
    if (!bucketReady) {
      store.ensureBucket();
      bucketReady = true;
    }
  }

  private static byte[] read(Path file, int maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(file + " is larger than the recording format allows");
    }
    return Files.readAllBytes(file);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
