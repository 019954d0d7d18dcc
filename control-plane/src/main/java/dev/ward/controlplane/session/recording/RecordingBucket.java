package dev.ward.controlplane.session.recording;

import dev.ward.controlplane.common.Problem;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bucket agents upload recordings to, as the control plane reads it: the objects of one session
 * of one tenant, under {@code tenants/<tenant-id>/sessions/<session-id>/}. The prefix is built here
 * from the caller's tenant and the indexed session id, never from what an agent reported, so no
 * call can reach another tenant's objects. Calls block; callers run on worker threads.
 */
@ApplicationScoped
public class RecordingBucket {

  private final MinioClient client;
  private final String bucket;

  public RecordingBucket(
      @ConfigProperty(name = "ward.recording.endpoint") Optional<String> endpoint,
      @ConfigProperty(name = "ward.recording.region") Optional<String> region,
      @ConfigProperty(name = "ward.recording.bucket") String bucket,
      @ConfigProperty(name = "ward.recording.access-key") Optional<String> accessKey,
      @ConfigProperty(name = "ward.recording.secret-key") Optional<String> secretKey) {
    this.bucket = bucket;
    if (endpoint.isEmpty() || endpoint.get().isBlank()) {
      this.client = null;
      return;
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .writeTimeout(Duration.ofSeconds(30))
            .build();
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(endpoint.get().strip())
            .credentials(accessKey.orElse(""), secretKey.orElse(""))
            .httpClient(http, true);
    region.filter(r -> !r.isBlank()).ifPresent(builder::region);
    this.client = builder.build();
  }

  /** Whether recording storage is configured at all. */
  public boolean configured() {
    return client != null;
  }

  /** The prefix of one session's objects, ending in a slash. */
  public static String prefix(UUID tenantId, UUID sessionId) {
    return "tenants/" + tenantId + "/sessions/" + sessionId + "/";
  }

  /** The session's recording objects (segments and manifest; nothing else), read in place. */
  public RecordingSource source(UUID tenantId, UUID sessionId) {
    String prefix = prefix(tenantId, sessionId);
    return new RecordingSource() {
      @Override
      public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        for (String key : keys(prefix)) {
          String name = key.substring(prefix.length());
          if (isRecordingName(name)) {
            names.add(name);
          }
        }
        return names;
      }

      @Override
      public Optional<byte[]> read(String name, int maxBytes) throws IOException {
        return isRecordingName(name) ? get(prefix + name, maxBytes) : Optional.empty();
      }
    };
  }

  /** Deletes every object under the session's prefix; returns how many were deleted. */
  public int delete(UUID tenantId, UUID sessionId) throws IOException {
    int deleted = 0;
    for (String key : keys(prefix(tenantId, sessionId))) {
      String k = key;
      call(
          () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(k).build());
            return null;
          });
      deleted++;
    }
    return deleted;
  }

  static boolean isRecordingName(String name) {
    return name.equals(RecordingFormat.MANIFEST_NAME) || RecordingFormat.segmentIndexOf(name) > 0;
  }

  private List<String> keys(String prefix) throws IOException {
    return call(
        () -> {
          List<String> keys = new ArrayList<>();
          for (Result<Item> r :
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(bucket)
                      .prefix(prefix)
                      .recursive(true)
                      .build())) {
            Item item = r.get();
            if (!item.isDir()) {
              keys.add(item.objectName());
            }
          }
          return keys;
        });
  }

  private Optional<byte[]> get(String key, int maxBytes) throws IOException {
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
    if (client == null) {
      throw notConfigured();
    }
    try {
      return call.run();
    } catch (IOException e) {
      throw e;
    } catch (ErrorResponseException e) {
      throw new IOException(
          "object storage refused: " + e.errorResponse().code() + " " + e.errorResponse().message(),
          e);
    } catch (Exception e) {
      throw new IOException("object storage failed: " + e.getMessage(), e);
    }
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
  void close() throws Exception {
    if (client != null) {
      client.close();
    }
  }
}
