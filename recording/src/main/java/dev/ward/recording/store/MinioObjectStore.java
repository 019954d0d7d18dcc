package dev.ward.recording.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * An S3-compatible bucket (S3, MinIO, S3Proxy) through the MinIO Java SDK. The SDK is an optional
 * dependency of this module: the agent and the control plane bring it, the offline {@code ward}
 * command does not.
 */
public final class MinioObjectStore implements ObjectStore, AutoCloseable {

  /** The region S3 creates a bucket in when the request names none. */
  private static final String DEFAULT_REGION = "us-east-1";

  private final MinioClient client;
  private final DefaultRegionBuckets defaultRegionBuckets;
  private final String bucket;
  private final String region;

  /**
   * @param endpoint e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code
   *     http://127.0.0.1:9000}
   * @param region the bucket's region (may be empty for MinIO and S3Proxy)
   * @param bucket the bucket
   * @param accessKey access key id
   * @param secretKey secret key; kept only inside the client, never logged
   * @param callerRetries whether the caller retries failed calls itself (the agent's uploader does,
   *     with backoff); when not, a call that failed on a broken connection is tried once more
   */
  public MinioObjectStore(
      String endpoint,
      String region,
      String bucket,
      String accessKey,
      String secretKey,
      boolean callerRetries) {
    // Short timeouts: a hung call must not stall an uploader or a request thread.
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .writeTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(!callerRetries)
            .build();
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(accessKey, secretKey)
            .httpClient(http, true);
    if (region != null && !region.isEmpty()) {
      builder.region(region);
    }
    this.client = builder.build();
    // Shares the HTTP client; closing the store closes it once, through the client above.
    this.defaultRegionBuckets =
        new DefaultRegionBuckets(
            MinioAsyncClient.builder()
                .endpoint(endpoint)
                .credentials(accessKey, secretKey)
                .httpClient(http, false)
                .build());
    this.bucket = bucket;
    this.region = region;
  }

  /**
   * Creates the bucket when it does not exist. With no region configured (or {@code us-east-1}) the
   * request carries no location constraint, as S3 expects for its default region: S3 and S3Proxy
   * refuse a {@code us-east-1} constraint, which the MinIO SDK 9 would otherwise send.
   */
  @Override
  public void ensureBucket() throws IOException {
    call(
        () -> {
          if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return null;
          }
          try {
            if (region == null || region.isEmpty() || region.equals(DEFAULT_REGION)) {
              defaultRegionBuckets.create(bucket);
            } else {
              client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
            }
          } catch (ErrorResponseException e) {
            // Another agent created it between the check and the request: it is there, as wanted.
            if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
              throw e;
            }
          }
          return null;
        });
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    call(
        () ->
            client.putObject(
                PutObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .data(bytes, bytes.length)
                    .contentType("application/octet-stream")
                    .build()));
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    return call(
        () -> {
          List<StoredObject> objects = new ArrayList<>();
          for (Result<Item> r :
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(bucket)
                      .prefix(prefix)
                      .recursive(true)
                      .build())) {
            Item item = r.get();
            if (!item.isDir()) {
              objects.add(new StoredObject(item.objectName(), item.size()));
            }
          }
          return objects;
        });
  }

  @Override
  public Optional<byte[]> get(String key, int maxBytes) throws IOException {
    return call(
        () -> {
          try (InputStream in =
              client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
              throw new IOException(key + " is larger than " + maxBytes + " bytes");
            }
            return Optional.of(bytes);
          } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  @Override
  public void delete(String key) throws IOException {
    call(
        () -> {
          client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
          return null;
        });
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T call(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (IOException e) {
      throw e;
    } catch (ErrorResponseException e) {
      if ("NoSuchBucket".equals(e.errorResponse().code())) {
        throw new MissingBucketException(bucket, e);
      }
      throw new IOException(
          "object storage refused: " + e.errorResponse().code() + " " + e.errorResponse().message(),
          e);
    } catch (MinioException e) {
      throw new IOException("object storage failed: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IOException("object storage failed: " + e, e);
    }
  }

  /**
   * The SDK's asynchronous client with the one call the SDK lacks: creating a bucket in the default
   * region without a {@code CreateBucketConfiguration} body.
   */
  private static final class DefaultRegionBuckets extends MinioAsyncClient {

    DefaultRegionBuckets(MinioAsyncClient client) {
      super(client);
    }

    void create(String bucket) throws Exception {
      // The region is named so that the SDK signs for it rather than asking where the bucket is.
      MakeBucketArgs args = MakeBucketArgs.builder().bucket(bucket).region(DEFAULT_REGION).build();
      CompletableFuture<Response> put = executePutAsync(args, null, null, null);
      try {
        put.get().close();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      // Only connection pools to release; nothing to report.
    }
  }
}
