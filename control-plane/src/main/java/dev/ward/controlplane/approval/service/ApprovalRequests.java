package dev.ward.controlplane.approval.service;

import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.channel.v1.ApprovalWithdrawn;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What agents tell the control plane about held operations: a new request (recorded once, however
 * often the agent sends it again after reconnecting), a withdrawal, and the expiry of requests
 * nobody decided in time.
 */
@ApplicationScoped
public class ApprovalRequests {

  static final int MAX_OPERATION = 16 * 1024;
  static final int MAX_TEXT = 1024;
  static final int MAX_GROUPS = 20;
  static final Duration LONGEST_WAIT = Duration.ofDays(1);

  private static final Logger LOG = Logger.getLogger(ApprovalRequests.class);

  /** A request recorded for the first time, for those who tell approvers (Slack). */
  public record Opened(ApprovalRecord approval) {}

  /**
   * A request that left pending without an approver's decision (it expired, or the agent stopped
   * waiting), once committed, for those who show it to approvers (Slack).
   */
  public record Ended(ApprovalRecord approval) {}

  private final Pool pool;
  private final Event<Opened> opened;
  private final Event<Ended> ended;

  public ApprovalRequests(Pool pool, Event<Opened> opened, Event<Ended> ended) {
    this.pool = pool;
    this.opened = opened;
    this.ended = ended;
  }

  /**
   * Records a request from an agent of the tenant. When the request is known already (the agent
   * sends every pending request again after a reconnect) and was decided meanwhile, returns the
   * decision so the agent hears it again.
   */
  public Uni<Optional<ApprovalDecision>> request(
      UUID tenantId, UUID agentId, String agentName, ApprovalRequest r) {
    if (r.getRequestId().isBlank()
        || r.getRequestId().length() > 100
        || r.getOperationHash().isBlank()
        || r.getOperationHash().length() > 128) {
      LOG.warnf("Ignoring a malformed approval request from agent %s", agentName);
      return Uni.createFrom().item(Optional.empty());
    }
    List<String> groups =
        r.getApproverGroupsList().isEmpty()
            ? (r.getApproverGroup().isBlank() ? List.of() : List.of(r.getApproverGroup()))
            : r.getApproverGroupsList().stream().limit(MAX_GROUPS).map(g -> bound(g, 255)).toList();
    Instant now = Instant.now();
    Instant expires =
        r.getExpiresUnixMillis() <= 0
            ? now.plus(Duration.ofHours(1))
            : Instant.ofEpochMilli(
                Math.min(r.getExpiresUnixMillis(), now.plus(LONGEST_WAIT).toEpochMilli()));
    Tuple values =
        Tuple.tuple()
            .addUUID(UUID.randomUUID())
            .addUUID(tenantId)
            .addString(r.getRequestId())
            .addUUID(uuid(r.getSessionId()))
            .addUUID(uuid(r.getConnectionId()))
            .addString(bound(r.getSubject(), MAX_TEXT))
            .addString(blankToNull(bound(r.getEmail(), 320)))
            .addString(bound(r.getActor(), MAX_TEXT))
            .addString(bound(r.getKind(), 32))
            .addString(bound(r.getOperation(), MAX_OPERATION))
            .addString(r.getOperationHash())
            .addString(bound(r.getRule(), 255))
            .addString(groups.isEmpty() ? null : groups.getFirst())
            .addInteger(Math.max(1, Math.min(10, r.getMinApprovals())))
            .addOffsetDateTime(OffsetDateTime.ofInstant(expires, ZoneOffset.UTC))
            .addUUID(agentId)
            .addString(bound(r.getConnectionName(), 255))
            .addString(bound(r.getRuleReason(), MAX_TEXT))
            .addArrayOfString(groups.toArray(String[]::new))
            .addBoolean(r.getSelfApproval())
            .addLong(Math.max(0, r.getMaxTimeBoxMillis()));
    ApprovalRecord[] created = new ApprovalRecord[1];
    return pool.withTransaction(
            sql ->
                sql.preparedQuery(
                        "INSERT INTO approvals (id, tenant_id, request_id, session_id, connection_id,"
                            + " subject, email, actor, kind, operation, operation_hash, rule,"
                            + " approver_group, min_approvals, state, requested_at, expires_at,"
                            + " agent_id, connection_name, rule_reason, approver_groups,"
                            + " self_approval, max_time_box_ms) VALUES ($1, $2, $3, $4, (SELECT c.id"
                            + " FROM connections c WHERE c.id = $5 AND c.tenant_id = $2), $6, $7, $8,"
                            + " $9, $10, $11, $12, $13, $14, 'pending', now(), $15, $16, $17, $18,"
                            + " $19, $20, $21) ON CONFLICT (tenant_id, request_id) DO UPDATE SET"
                            + " agent_id = EXCLUDED.agent_id RETURNING (xmax = 0) AS created, "
                            + ApprovalRecord.COLUMNS)
                    .execute(values)
                    .chain(
                        rows -> {
                          Row row = rows.iterator().next();
                          ApprovalRecord a = ApprovalRecord.of(row);
                          if (!row.getBoolean("created")) {
                            return Uni.createFrom().item(Optional.ofNullable(a.decision()));
                          }
                          return AuditRows.record(
                                  sql,
                                  tenantId,
                                  "agent:" + agentName,
                                  "approval.request",
                                  a.id(),
                                  AuditRows.view(a)
                                      .put("operation", a.operation())
                                      .put("approverGroups", a.approverGroups())
                                      .put("minApprovals", a.minApprovals()))
                              .invoke(() -> created[0] = a)
                              .replaceWith(Optional.<ApprovalDecision>empty());
                        }))
        // told only once committed, so those who tell approvers find the row
        .invoke(
            () -> {
              if (created[0] != null) {
                opened.fireAsync(new Opened(created[0]));
              }
            });
  }

  /**
   * The agent stopped waiting: the client cancelled or disconnected ({@code withdrawn}), or its own
   * timer ran out ({@code expired}). Only a pending request changes.
   */
  public Uni<Void> withdrawn(UUID tenantId, String agentName, ApprovalWithdrawn w) {
    boolean expired = "expired".equals(w.getReason());
    String state = expired ? "expired" : "withdrawn";
    String reason = blankToNull(bound(w.getReason(), MAX_TEXT));
    ApprovalRecord[] changed = new ApprovalRecord[1];
    return pool.withTransaction(
            sql ->
                sql.preparedQuery(
                        "UPDATE approvals SET state = $3, reason = $4, decided_at = now() WHERE"
                            + " tenant_id = $1 AND request_id = $2 AND state = 'pending' RETURNING "
                            + ApprovalRecord.COLUMNS)
                    .execute(Tuple.of(tenantId, w.getRequestId(), state, reason))
                    .chain(
                        rows -> {
                          RowIterator<Row> it = rows.iterator();
                          if (!it.hasNext()) {
                            return Uni.createFrom().voidItem();
                          }
                          ApprovalRecord a = ApprovalRecord.of(it.next());
                          changed[0] = a;
                          return AuditRows.record(
                              sql,
                              tenantId,
                              "agent:" + agentName,
                              expired ? "approval.expire" : "approval.withdraw",
                              a.id(),
                              AuditRows.view(a));
                        }))
        .invoke(
            () -> {
              if (changed[0] != null) {
                ended.fireAsync(new Ended(changed[0]));
              }
            });
  }

  /**
   * Marks requests nobody decided before they expired; the agents are told through the push, Slack
   * through {@link Ended}.
   */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> expire() {
    return pool.withTransaction(
            sql ->
                sql.query(
                        "WITH gone AS (UPDATE approvals SET state = 'expired', decided_at = now(),"
                            + " reason = 'no decision before the request expired' WHERE state ="
                            + " 'pending' AND expires_at < now() RETURNING "
                            + ApprovalRecord.COLUMNS
                            + "), audit AS (INSERT INTO audit_events (id, tenant_id, actor,"
                            + " action, target_type, target_id, after) SELECT"
                            + " gen_random_uuid(), tenant_id, 'ward', 'approval.expire',"
                            + " 'approval', id::text, jsonb_build_object('requestId', request_id,"
                            + " 'state', 'expired') FROM gone) SELECT "
                            + ApprovalRecord.COLUMNS
                            + " FROM gone")
                    .execute())
        .invoke(rows -> rows.forEach(r -> ended.fireAsync(new Ended(ApprovalRecord.of(r)))))
        .onFailure()
        .invoke(e -> LOG.warnf("Could not expire approval requests: %s", e.getMessage()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private static UUID uuid(String value) {
    try {
      return value == null || value.isBlank() ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String bound(String s, int max) {
    return s == null ? null : s.length() <= max ? s : s.substring(0, max);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
