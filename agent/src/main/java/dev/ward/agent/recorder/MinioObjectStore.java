package dev.ward.agent.recorder;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
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
import okhttp3.OkHttpClient;

/** An S3-compatible bucket (S3, MinIO, S3Proxy) through the MinIO Java SDK. */
public final class MinioObjectStore implements ObjectStore, AutoCloseable {

  private final MinioClient client;
  private final String bucket;
  private final String region;

  /**
   * @param endpoint e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code
   *     http://127.0.0.1:9000}
   * @param region the bucket's region (may be empty for MinIO and S3Proxy)
   * @param bucket the bucket
   * @param accessKey access key id
   * @param secretKey secret key; kept only inside the client, never logged
   */
  public MinioObjectStore(
      String endpoint, String region, String bucket, String accessKey, String secretKey) {
    // Short timeouts: the uploader retries with backoff, a hung call must not stall it.
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .writeTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(false)
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
    this.bucket = bucket;
    this.region = region;
  }

  @Override
  public void ensureBucket() throws IOException {
    call(
        () -> {
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            MakeBucketArgs.Builder make = MakeBucketArgs.builder().bucket(bucket);
            if (region != null && !region.isEmpty()) {
              make.region(region);
            }
            client.makeBucket(make.build());
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

  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T call(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (IOException e) {
      throw e;
    } catch (ErrorResponseException e) {
      throw new IOException(
          "object storage refused: " + e.errorResponse().code() + " " + e.errorResponse().message(),
          e);
    } catch (MinioException e) {
      throw new IOException("object storage failed: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IOException("object storage failed: " + e, e);
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
