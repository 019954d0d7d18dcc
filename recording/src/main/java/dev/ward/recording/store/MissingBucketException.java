package dev.ward.recording.store;

import java.io.IOException;

/**
 * Storage answered that the bucket does not exist. Writers create it ({@link
 * ObjectStore#ensureBucket()}) and try again; readers say which bucket they were configured with.
 */
public final class MissingBucketException extends IOException {

  private final String bucket;

  public MissingBucketException(String bucket, Throwable cause) {
    super("object storage has no bucket named " + bucket, cause);
    this.bucket = bucket;
  }

  /** The bucket that does not exist. */
  public String bucket() {
    return bucket;
  }
}
