package dev.ward.controlplane.session.service;

import dev.ward.proto.channel.v1.SessionNotice;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes the session notices agents send into the tenant's session index. The tenant and agent come
 * from the authenticated agent stream, never from the notice, and every string is bounded, because
 * a compromised agent may send anything. A notice may arrive twice or out of order (the agent
 * replays its queue after a reconnect), so each is an idempotent upsert on the session id that
 * never moves a finished session back to started nor lowers its counts. A session id that already
 * belongs to another tenant is left alone.
 */
@ApplicationScoped
public class SessionIndexer {

  private static final Logger LOG = Logger.getLogger(SessionIndexer.class);

  static final int SEARCH_TEXT_LIMIT = 4096;
  private static final int NAME_LIMIT = 256;
  private static final int PREFIX_LIMIT = 1024;
  private static final Set<String> STATES = Set.of("started", "ended", "interrupted");

  private static final String UPSERT =
      "INSERT INTO sessions (id, tenant_id, agent_id, connection_id, work_session_id, subject,"
          + " email, actor, state, started_at, ended_at, statement_count, masked_count,"
          + " blocked_count, recording_prefix, policy_version, search_text, owner_subject,"
          + " owner_email)"
          + " SELECT $1, $2, $3,"
          + " (SELECT c.id FROM connections c WHERE c.id = $4 AND c.tenant_id = $2),"
          + " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
          // a service account's session also names the person who owns the account
          + " (SELECT u.subject FROM service_accounts s JOIN users u ON u.id = s.owner_user_id"
          + " WHERE s.tenant_id = $2 AND s.subject = $6),"
          + " (SELECT u.email FROM service_accounts s JOIN users u ON u.id = s.owner_user_id"
          + " WHERE s.tenant_id = $2 AND s.subject = $6)"
          + " ON CONFLICT (id) DO UPDATE SET"
          + " state = CASE WHEN sessions.state = 'started' THEN EXCLUDED.state"
          + " ELSE sessions.state END,"
          + " ended_at = COALESCE(sessions.ended_at, EXCLUDED.ended_at),"
          + " statement_count = GREATEST(sessions.statement_count, EXCLUDED.statement_count),"
          + " masked_count = GREATEST(sessions.masked_count, EXCLUDED.masked_count),"
          + " blocked_count = GREATEST(sessions.blocked_count, EXCLUDED.blocked_count),"
          + " search_text = COALESCE(EXCLUDED.search_text, sessions.search_text),"
          + " agent_id = COALESCE(EXCLUDED.agent_id, sessions.agent_id),"
          // A verdict taken while the session was open is stale once it ends.
          + " integrity = CASE WHEN sessions.state = 'started' AND EXCLUDED.state <> 'started'"
          + " THEN 'unverified' ELSE sessions.integrity END"
          + " WHERE sessions.tenant_id = EXCLUDED.tenant_id";

  private final Pool pool;

  public SessionIndexer(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records one notice of an agent of the given tenant. A notice without a valid session id or
   * state is dropped with a log line: the agent's recording stays the source of truth.
   */
  public Uni<Void> record(UUID tenantId, UUID agentId, SessionNotice notice) {
    UUID sessionId = uuid(notice.getSessionId());
    if (sessionId == null || !STATES.contains(notice.getState())) {
      LOG.debugf(
          "Ignoring a session notice from agent %s without a valid session id or state", agentId);
      return Uni.createFrom().voidItem();
    }
    long now = System.currentTimeMillis();
    long started = notice.getStartedUnixMillis() > 0 ? notice.getStartedUnixMillis() : now;
    OffsetDateTime ended =
        notice.getState().equals("started")
            ? null
            : time(notice.getEndedUnixMillis() > 0 ? notice.getEndedUnixMillis() : now);
    Object[] values = {
      sessionId,
      tenantId,
      agentId,
      uuid(notice.getConnectionId()),
      bounded(notice.getWorkSessionId(), NAME_LIMIT),
      bounded(notice.getSubject(), NAME_LIMIT),
      bounded(notice.getEmail(), NAME_LIMIT),
      bounded(notice.getActor(), NAME_LIMIT),
      notice.getState(),
      time(started),
      ended,
      Math.max(0, notice.getStatementCount()),
      Math.max(0, notice.getMaskedCount()),
      Math.max(0, notice.getBlockedCount()),
      bounded(notice.getRecordingPrefix(), PREFIX_LIMIT),
      notice.getPolicyVersion() > 0 ? notice.getPolicyVersion() : null,
      bounded(notice.getSearchText(), SEARCH_TEXT_LIMIT)
    };
    return pool.preparedQuery(UPSERT).execute(Tuple.from(Arrays.asList(values))).replaceWithVoid();
  }

  /**
   * The value cut to a number of characters, without NUL (which Postgres text refuses) and without
   * a split surrogate pair; null when empty.
   */
  static String bounded(String value, int limit) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    String clean = value.replace("\u0000", "");
    if (clean.length() > limit) {
      int end = Character.isHighSurrogate(clean.charAt(limit - 1)) ? limit - 1 : limit;
      clean = clean.substring(0, end);
    }
    return clean.isEmpty() ? null : clean;
  }

  private static UUID uuid(String value) {
    if (value == null || value.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OffsetDateTime time(long unixMillis) {
    return Instant.ofEpochMilli(unixMillis).atOffset(ZoneOffset.UTC);
  }
}
