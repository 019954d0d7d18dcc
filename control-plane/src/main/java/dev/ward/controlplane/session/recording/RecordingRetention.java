package dev.ward.controlplane.session.recording;

import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Enforces each tenant's recording retention: deletes from the bucket the recordings of sessions
 * that ended more than the tenant's number of days ago, unless the session is under legal hold, and
 * marks the index entry (which stays). Sessions are claimed with {@code FOR UPDATE SKIP LOCKED}, so
 * several control-plane replicas share the work and a legal hold set while a deletion runs waits
 * for it, then sees the recording already gone (or, set first, prevents it).
 */
@ApplicationScoped
public class RecordingRetention {

  private static final Logger LOG = Logger.getLogger(RecordingRetention.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final int BATCH = 100;

  static final String ACTOR = "ward:retention";

  private static final String CLAIM =
      "SELECT s.id, s.tenant_id, t.recording_retention_days FROM sessions s"
          + " JOIN tenants t ON t.id = s.tenant_id"
          + " WHERE t.recording_retention_days IS NOT NULL"
          + " AND s.recording_deleted_at IS NULL AND NOT s.legal_hold"
          + " AND COALESCE(s.ended_at, s.started_at)"
          + " < now() - make_interval(days => t.recording_retention_days)"
          + " ORDER BY COALESCE(s.ended_at, s.started_at)"
          + " LIMIT "
          + BATCH
          + " FOR UPDATE OF s SKIP LOCKED";

  private final Pool pool;
  private final RecordingBucket bucket;

  public RecordingRetention(Pool pool, RecordingBucket bucket) {
    this.pool = pool;
    this.bucket = bucket;
  }

  @Scheduled(
      identity = "recording-retention",
      every = "${ward.recording.retention.interval}",
      delayed = "${ward.recording.retention.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    if (!bucket.configured()) {
      return;
    }
    try {
      int deleted;
      do {
        deleted = deleteExpiredBatch();
      } while (deleted == BATCH);
    } catch (RuntimeException | IOException e) {
      LOG.warnf("Recording retention stopped for now, next run retries: %s", e.getMessage());
    }
  }

  /** Deletes one batch of expired recordings; returns how many sessions it handled. */
  int deleteExpiredBatch() throws IOException {
    SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
    try {
      var tx = conn.begin().await().atMost(TIMEOUT);
      record Expired(UUID id, UUID tenantId, int days) {}
      List<Expired> expired = new ArrayList<>();
      for (Row r : conn.query(CLAIM).execute().await().atMost(TIMEOUT)) {
        expired.add(
            new Expired(
                r.getUUID("id"), r.getUUID("tenant_id"), r.getInteger("recording_retention_days")));
      }
      try {
        for (Expired e : expired) {
          int objects = bucket.delete(e.tenantId(), e.id());
          conn.preparedQuery("UPDATE sessions SET recording_deleted_at = now() WHERE id = $1")
              .execute(Tuple.of(e.id()))
              .await()
              .atMost(TIMEOUT);
          conn.preparedQuery(
                  "INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id,"
                      + " after) VALUES ($1, $2, $3, 'session.recording-delete', 'session', $4,"
                      + " jsonb_build_object('retentionDays', $5::int, 'objects', $6::int))")
              .execute(
                  Tuple.from(
                      List.of(
                          UUID.randomUUID(),
                          e.tenantId(),
                          ACTOR,
                          e.id().toString(),
                          e.days(),
                          objects)))
              .await()
              .atMost(TIMEOUT);
        }
        tx.commit().await().atMost(TIMEOUT);
      } catch (IOException | RuntimeException ex) {
        // Sessions deleted before the failure are marked by committing what was done.
        tx.commit().await().atMost(TIMEOUT);
        throw ex;
      }
      if (!expired.isEmpty()) {
        LOG.infof("Retention deleted the recordings of %d sessions", expired.size());
      }
      return expired.size();
    } finally {
      conn.close().await().atMost(TIMEOUT);
    }
  }
}
