package dev.ward.controlplane.session.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ward.controlplane.common.Problem;
import dev.ward.proto.recording.v1.Event;
import dev.ward.recording.MalformedRecordingException;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingReader;
import dev.ward.recording.RecordingSource;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import dev.ward.recording.store.MissingBucketException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * The evidence behind an indexed session, read from the tenant's part of the recordings bucket:
 * verification against the keys the recording agent announced, replay as decoded events, and a
 * download that {@code ward verify} checks offline. Every lookup is by the caller's tenant and the
 * indexed session id. Blocking: callers run on worker threads.
 */
@ApplicationScoped
public class SessionEvidence {

  private static final Logger LOG = Logger.getLogger(SessionEvidence.class);
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(15);

  /** A page of replay stops adding events once its JSON passes this many characters. */
  static final int PAGE_CHARS = 4 << 20;

  public static final int MAX_PAGE_EVENTS = 1000;
  static final String KEYS_FILE = "agent-keys.txt";

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final Pool pool;
  private final RecordingBucket bucket;
  private final ObjectMapper json;

  public SessionEvidence(Pool pool, RecordingBucket bucket, ObjectMapper json) {
    this.pool = pool;
    this.bucket = bucket;
    this.json = json;
  }

  /** What a verification found, as stored in the index and answered by the API. */
  public record Verification(
      UUID sessionId,
      String integrity,
      String kind,
      Long segment,
      long segments,
      long events,
      String detail,
      OffsetDateTime verifiedAt) {}

  /** One replayed event: its sequence number, time and kind, and the event itself. */
  public record ReplayEvent(long seq, OffsetDateTime at, String type, JsonNode event) {}

  /**
   * One page of a replay. {@code next} is the {@code after} value of the next page, or null when
   * the recording holds no more events (yet: an open session keeps growing).
   */
  public record EventPage(UUID sessionId, String integrity, List<ReplayEvent> items, Long next) {}

  private record Indexed(UUID id, UUID agentId, String integrity, OffsetDateTime deletedAt) {}

  /** Verifies the session's recording and stores the verdict in the index. */
  public Verification verify(UUID tenantId, UUID sessionId, String actor) {
    Indexed session = readable(tenantId, sessionId);
    Verdict v;
    try {
      v =
          verdictFor(
              tenantId, session, new RecordingVerifier(trustedKeys(tenantId, session.agentId())));
    } catch (IOException e) {
      throw storageFailed(e);
    }
    Long segment =
        v.status() == Verdict.Status.INTACT || v.status() == Verdict.Status.INTACT_RECOVERED
            ? null
            : v.segment();
    RowSet<Row> rows =
        query(
            "UPDATE sessions SET integrity = $3, integrity_kind = $4, integrity_segment = $5,"
                + " integrity_detail = $6, verified_at = now()"
                + " WHERE id = $1 AND tenant_id = $2 RETURNING verified_at",
            sessionId,
            tenantId,
            v.status().name(),
            v.tamper() == null ? null : v.tamper().name(),
            segment,
            v.detail());
    OffsetDateTime at = rows.iterator().next().getOffsetDateTime("verified_at");
    Verification result =
        new Verification(
            sessionId,
            v.status().name(),
            v.tamper() == null ? null : v.tamper().name(),
            segment,
            v.segmentCount(),
            v.eventCount(),
            v.detail(),
            at);
    audit(tenantId, actor, "session.verify", sessionId, result);
    return result;
  }

  private Verdict verdictFor(UUID tenantId, Indexed session, RecordingVerifier verifier)
      throws IOException {
    Verdict v = verifier.verify(bucket.source(tenantId, session.id()));
    String recorded = v.sessionId();
    if (recorded != null && !recorded.isEmpty() && !recorded.equals(session.id().toString())) {
      // A whole, validly signed recording of another session copied under this one's prefix.
      return new Verdict(
          Verdict.Status.TAMPERED,
          Verdict.Tamper.FOREIGN_SEGMENT,
          1,
          recorded,
          v.segmentCount(),
          0,
          "the objects stored for this session are the recording of session " + recorded);
    }
    return v;
  }

  /** Up to {@code limit} events after sequence number {@code after}, decoded for replay. */
  public EventPage events(UUID tenantId, UUID sessionId, long after, int limit) {
    Indexed session = readable(tenantId, sessionId);
    List<Event> events;
    try {
      events = new RecordingReader(bucket.source(tenantId, sessionId)).page(after, limit);
    } catch (MalformedRecordingException e) {
      throw new Problem(
          422,
          "Recording Unreadable",
          "The recording cannot be replayed: "
              + e.getMessage()
              + ". Verify it (POST /api/v1/sessions/"
              + sessionId
              + "/verify) to see what is wrong.");
    } catch (IOException e) {
      throw storageFailed(e);
    }
    List<ReplayEvent> items = new ArrayList<>();
    int chars = 0;
    boolean cut = false;
    for (Event e : events) {
      String text;
      try {
        text = PRINTER.print(e);
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("a decoded event does not print as JSON", ex);
      }
      if (!items.isEmpty() && chars + text.length() > PAGE_CHARS) {
        cut = true;
        break;
      }
      chars += text.length();
      items.add(new ReplayEvent(e.getSeq(), time(e.getUnixNanos()), type(e), parse(text)));
    }
    Long next = (cut || events.size() == limit) && !items.isEmpty() ? items.getLast().seq() : null;
    return new EventPage(sessionId, session.integrity(), items, next);
  }

  /**
   * Writes the session's raw objects and the recording agent's public keys as a zip: unpacked, it
   * is a folder {@code ward verify DIR --keys-file DIR/agent-keys.txt} checks offline.
   */
  public void download(UUID tenantId, UUID sessionId, String actor, OutputStream out)
      throws IOException {
    Indexed session = readable(tenantId, sessionId);
    RecordingSource source = bucket.source(tenantId, sessionId);
    List<String> names = source.names();
    names.sort(String::compareTo);
    List<String> keys = keyTexts(tenantId, session.agentId());
    String folder = sessionId + "/";
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String name : names) {
        int max =
            name.equals(RecordingFormat.MANIFEST_NAME)
                ? RecordingFormat.MAX_MANIFEST_BYTES
                : RecordingFormat.MAX_SEGMENT_BYTES;
        Optional<byte[]> bytes = source.read(name, max);
        if (bytes.isPresent()) {
          zip.putNextEntry(new ZipEntry(folder + name));
          zip.write(bytes.get());
          zip.closeEntry();
        }
      }
      zip.putNextEntry(new ZipEntry(folder + KEYS_FILE));
      StringBuilder text =
          new StringBuilder(
              "# Recording public keys (Base64 X.509 Ed25519) of the agent that recorded session "
                  + sessionId
                  + ",\n# as it announced them to the control plane.\n");
      keys.forEach(k -> text.append(k).append('\n'));
      zip.write(text.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    audit(tenantId, actor, "session.download", sessionId, Map.of("objects", names.size()));
  }

  /** Fails before anything is streamed when the recording cannot be downloaded. */
  public void checkDownloadable(UUID tenantId, UUID sessionId) {
    readable(tenantId, sessionId);
    try {
      if (bucket.source(tenantId, sessionId).names().isEmpty()) {
        throw new Problem(
            404,
            "Not Found",
            "No recording of session "
                + sessionId
                + " has reached storage yet. Its agent uploads it while the session runs and"
                + " after it ends; try again shortly.");
      }
    } catch (IOException e) {
      throw storageFailed(e);
    }
  }

  /** The index entry of a session whose recording can still be read, else the right problem. */
  private Indexed readable(UUID tenantId, UUID sessionId) {
    if (!bucket.configured()) {
      throw RecordingBucket.notConfigured();
    }
    RowSet<Row> rows =
        query(
            "SELECT id, agent_id, integrity, recording_deleted_at FROM sessions"
                + " WHERE id = $1 AND tenant_id = $2",
            sessionId,
            tenantId);
    if (rows.size() == 0) {
      throw Problem.notFound("Session " + sessionId);
    }
    Row r = rows.iterator().next();
    Indexed session =
        new Indexed(
            r.getUUID("id"),
            r.getUUID("agent_id"),
            r.getString("integrity"),
            r.getOffsetDateTime("recording_deleted_at"));
    if (session.deletedAt() != null) {
      throw new Problem(
          410,
          "Recording Deleted",
          "The recording of session "
              + sessionId
              + " was deleted at "
              + session.deletedAt()
              + " by the tenant's retention policy; its index entry is all that remains.");
    }
    return session;
  }

  /**
   * The keys a recording of this agent may be signed with: every key it ever announced. When the
   * agent is no longer known (deleted), every key an agent of the tenant announced.
   */
  private TrustedKeys trustedKeys(UUID tenantId, UUID agentId) {
    List<PublicKey> keys = new ArrayList<>();
    for (String text : keyTexts(tenantId, agentId)) {
      try {
        keys.add(TrustedKeys.parse(text));
      } catch (IllegalArgumentException e) {
        LOG.warnf(
            "Skipping an unusable recording key announced by an agent of tenant %s", tenantId);
      }
    }
    return new TrustedKeys(keys);
  }

  private List<String> keyTexts(UUID tenantId, UUID agentId) {
    RowSet<Row> rows =
        agentId == null
            ? query(
                "SELECT public_key FROM agent_recording_keys WHERE tenant_id = $1"
                    + " ORDER BY first_seen",
                tenantId)
            : query(
                "SELECT public_key FROM agent_recording_keys WHERE tenant_id = $1 AND agent_id = $2"
                    + " ORDER BY first_seen",
                tenantId,
                agentId);
    List<String> keys = new ArrayList<>();
    rows.forEach(r -> keys.add(r.getString("public_key")));
    return keys;
  }

  private void audit(UUID tenantId, String actor, String action, UUID sessionId, Object after) {
    query(
        "INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id, after)"
            + " VALUES ($1, $2, $3, $4, 'session', $5, $6::jsonb)",
        UUID.randomUUID(),
        tenantId,
        actor,
        action,
        sessionId.toString(),
        // A JsonObject, not a String: the pg client would store a String as a JSON string scalar.
        new JsonObject(json.valueToTree(after).toString()));
  }

  private RowSet<Row> query(String sql, Object... values) {
    return pool.preparedQuery(sql)
        .execute(Tuple.from(Arrays.asList(values)))
        .await()
        .atMost(DB_TIMEOUT);
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("protobuf JSON did not parse", e);
    }
  }

  private static Problem storageFailed(IOException e) {
    LOG.warnf("Recording storage failed: %s", e.getMessage());
    if (e instanceof MissingBucketException missing) {
      // Only agents create the bucket; the control plane reads it and never creates one.
      return new Problem(
          503,
          "Recording Storage Unavailable",
          "The recordings bucket \""
              + missing.bucket()
              + "\" does not exist. Agents create it when they upload their first recording; if"
              + " yours have uploaded, set this control plane's WARD_RECORDING_BUCKET and"
              + " WARD_RECORDING_ENDPOINT to the bucket they upload to.",
          e);
    }
    return new Problem(
        503,
        "Recording Storage Unavailable",
        "The recordings bucket could not be read ("
            + e.getMessage()
            + "). Try again; if it persists, check the control plane's WARD_RECORDING_* settings.",
        e);
  }

  static String type(Event e) {
    return switch (e.getKindCase()) {
      case START -> "start";
      case STATEMENT -> "statement";
      case EXCHANGE -> "exchange";
      case MASKING -> "masking";
      case GUARDRAIL -> "guardrail";
      case APPROVAL -> "approval";
      case END -> "end";
      case NOTICE -> "notice";
      case LLM -> "llm";
      case WEBSOCKET -> "websocket";
      case KIND_NOT_SET -> "unknown";
    };
  }

  private static OffsetDateTime time(long unixNanos) {
    return Instant.ofEpochSecond(0, unixNanos).atOffset(ZoneOffset.UTC);
  }
}
