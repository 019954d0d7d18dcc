package dev.ward.controlplane.approval.service;

import dev.ward.controlplane.common.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Approvers deciding on requests, from the API or Slack. Each step runs in one transaction that
 * locks the request row, so two approvers cannot both decide it; every step is in the audit log,
 * and a decided request notifies every replica (trigger in V8__approvals.sql), which pushes the
 * decision to the agent.
 */
@ApplicationScoped
public class ApprovalVotes {

  public static final int MAX_REASON = 500;

  /** A request and the approvals counted so far. */
  public record Tally(ApprovalRecord approval, List<Vote> votes) {}

  /** One approver's vote. */
  public record Vote(
      String approver,
      String email,
      String decision,
      Integer timeBoxMinutes,
      String via,
      OffsetDateTime votedAt) {}

  /** A request that left pending through an approver's or the engineer's step, once committed. */
  public record Decided(ApprovalRecord approval) {}

  private final Pool pool;
  private final Event<Decided> decided;

  public ApprovalVotes(Pool pool, Event<Decided> decided) {
    this.pool = pool;
    this.decided = decided;
  }

  /** Tells observers (Slack) once the step committed, if it decided the request. */
  private Uni<Tally> told(Uni<Tally> step) {
    return step.invoke(
        t -> {
          if (!t.approval().pending()) {
            decided.fireAsync(new Decided(t.approval()));
          }
        });
  }

  /** One request of the tenant with its votes, or a 404 problem. */
  public Uni<Tally> get(UUID tenantId, UUID id) {
    return pool.withConnection(sql -> load(sql, tenantId, id, false).chain(a -> tally(sql, a)));
  }

  /**
   * An approval. With {@code timeBoxMinutes}, the approver grants a time box instead (bounded by
   * the rule's longest); once the rule's minimum of distinct approvers agree, the request is
   * approved, with a time box only if every one of them granted one (the shortest).
   */
  public Uni<Tally> approve(UUID tenantId, UUID id, Approver approver, Integer timeBoxMinutes) {
    return told(
        pool.withTransaction(
            sql ->
                load(sql, tenantId, id, true)
                    .chain(
                        a -> {
                          mayDecide(a, approver);
                          checkTimeBox(a, timeBoxMinutes);
                          return sql.preparedQuery(
                                  "INSERT INTO approval_votes (approval_id, tenant_id, approver,"
                                      + " email, decision, time_box_minutes, via) VALUES ($1, $2, $3,"
                                      + " $4, 'approve', $5, $6) ON CONFLICT DO NOTHING RETURNING"
                                      + " approver")
                              .execute(
                                  Tuple.of(
                                      a.id(),
                                      tenantId,
                                      approver.subject(),
                                      approver.email(),
                                      timeBoxMinutes,
                                      approver.via()))
                              .chain(
                                  inserted -> {
                                    if (inserted.rowCount() == 0) {
                                      throw Problem.conflict(
                                          "You have already approved request "
                                              + a.requestId()
                                              + "; it needs "
                                              + a.minApprovals()
                                              + " approvals from different approvers.");
                                    }
                                    return count(sql, tenantId, a, approver);
                                  });
                        })
                    .chain(a -> tally(sql, a))));
  }

  /** A denial: one approver's denial decides, with the reason the engineer will read. */
  public Uni<Tally> deny(UUID tenantId, UUID id, Approver approver, String reason) {
    String why = reasonOf(reason);
    return told(
        pool.withTransaction(
            sql ->
                load(sql, tenantId, id, true)
                    .chain(
                        a -> {
                          mayDecide(a, approver);
                          return sql.preparedQuery(
                                  "INSERT INTO approval_votes (approval_id, tenant_id, approver,"
                                      + " email, decision, via) VALUES ($1, $2, $3, $4, 'deny', $5)"
                                      + " ON CONFLICT (approval_id, approver) DO UPDATE SET decision ="
                                      + " 'deny', voted_at = now()")
                              .execute(
                                  Tuple.of(
                                      a.id(),
                                      tenantId,
                                      approver.subject(),
                                      approver.email(),
                                      approver.via()))
                              .chain(
                                  () ->
                                      decide(
                                          sql,
                                          a,
                                          "denied",
                                          approver.name(),
                                          why,
                                          null,
                                          approver.name(),
                                          "approval.deny"));
                        })
                    .chain(a -> tally(sql, a))));
  }

  /** The engineer behind the request, or an admin, withdraws it before anyone decided. */
  public Uni<Tally> cancel(UUID tenantId, UUID id, Approver caller, String reason) {
    String why =
        reason == null || reason.isBlank()
            ? "cancelled by " + caller.name()
            : ApprovalRequests.bound(reason.strip(), MAX_REASON);
    return told(
        pool.withTransaction(
            sql ->
                load(sql, tenantId, id, true)
                    .chain(
                        a -> {
                          if (!caller.requested(a) && !caller.admin()) {
                            throw Problem.forbidden(
                                "Only the engineer who sent the operation, or an admin, can cancel"
                                    + " request "
                                    + a.requestId()
                                    + ".");
                          }
                          return decide(
                              sql,
                              a,
                              "cancelled",
                              caller.name(),
                              why,
                              null,
                              caller.name(),
                              "approval.cancel");
                        })
                    .chain(a -> tally(sql, a))));
  }

  /** A valid denial reason, or a 400 problem. */
  public static String reasonOf(String reason) {
    if (reason == null || reason.isBlank()) {
      throw Problem.invalidField(
          "reason", "say why you deny it; the engineer and the AI agent read it in the error");
    }
    if (reason.length() > MAX_REASON) {
      throw Problem.invalidField("reason", "at most " + MAX_REASON + " characters");
    }
    return reason.strip();
  }

  private static void mayDecide(ApprovalRecord a, Approver approver) {
    if (a.approverGroups().stream().noneMatch(approver.groups()::contains)) {
      throw Problem.forbidden(
          "Request "
              + a.requestId()
              + " can be decided by members of "
              + String.join(", ", a.approverGroups())
              + " (rule "
              + a.rule()
              + "); you are in none of them.");
    }
    if (!a.selfApproval() && approver.requested(a)) {
      throw Problem.forbidden(
          "You sent this operation yourself and rule "
              + a.rule()
              + " does not allow self-approval; another approver must decide.");
    }
  }

  private static void checkTimeBox(ApprovalRecord a, Integer minutes) {
    if (minutes == null) {
      return;
    }
    if (a.maxTimeBoxMillis() <= 0) {
      throw Problem.invalidField(
          "timeBoxMinutes", "rule " + a.rule() + " allows no time box; approve this one operation");
    }
    long max = a.maxTimeBoxMillis() / 60_000;
    if (minutes < 1 || minutes > max) {
      throw Problem.invalidField(
          "timeBoxMinutes", "between 1 and " + max + " (the longest rule " + a.rule() + " allows)");
    }
  }

  /** Counts distinct approvers; decides the request once there are enough. */
  private Uni<ApprovalRecord> count(
      SqlClient sql, UUID tenantId, ApprovalRecord a, Approver approver) {
    return sql.preparedQuery(
            "SELECT count(*) AS approvals, count(time_box_minutes) AS boxes,"
                + " min(time_box_minutes) AS box, string_agg(coalesce(email, approver), ', '"
                + " ORDER BY voted_at) AS names FROM approval_votes WHERE approval_id = $1 AND"
                + " tenant_id = $2 AND decision = 'approve'")
        .execute(Tuple.of(a.id(), tenantId))
        .chain(
            rows -> {
              Row r = rows.iterator().next();
              long approvals = r.getLong("approvals");
              if (approvals < a.minApprovals()) {
                return AuditRows.record(
                        sql,
                        tenantId,
                        approver.name(),
                        "approval.vote",
                        a.id(),
                        AuditRows.view(a)
                            .put("approvals", approvals)
                            .put("minApprovals", a.minApprovals())
                            .put("via", approver.via()))
                    .replaceWith(a);
              }
              Integer box = r.getLong("boxes") == approvals ? r.getInteger("box") : null;
              return decide(
                  sql,
                  a,
                  "approved",
                  r.getString("names"),
                  null,
                  box,
                  approver.name(),
                  "approval.approve");
            });
  }

  private Uni<ApprovalRecord> decide(
      SqlClient sql,
      ApprovalRecord a,
      String state,
      String decidedBy,
      String reason,
      Integer timeBoxMinutes,
      String actor,
      String action) {
    return sql.preparedQuery(
            "UPDATE approvals SET state = $3, decided_at = now(), decided_by = $4, reason = $5,"
                + " time_box_until = CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval("
                + "mins => $6::int) END, row_version = row_version + 1 WHERE tenant_id = $1 AND"
                + " id = $2 RETURNING "
                + ApprovalRecord.COLUMNS)
        .execute(Tuple.of(a.tenantId(), a.id(), state, decidedBy, reason, timeBoxMinutes))
        .map(rows -> ApprovalRecord.of(rows.iterator().next()))
        .call(d -> AuditRows.record(sql, a.tenantId(), actor, action, d.id(), AuditRows.view(d)));
  }

  private static Uni<ApprovalRecord> load(
      SqlClient sql, UUID tenantId, UUID id, boolean forDecision) {
    return sql.preparedQuery(
            "SELECT "
                + ApprovalRecord.COLUMNS
                + " FROM approvals WHERE tenant_id = $1 AND id = $2"
                + (forDecision ? " FOR UPDATE" : ""))
        .execute(Tuple.of(tenantId, id))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                throw Problem.notFound("Approval request " + id);
              }
              ApprovalRecord a = ApprovalRecord.of(it.next());
              if (forDecision && !a.pending()) {
                throw Problem.conflict(
                    "Request "
                        + a.requestId()
                        + " is "
                        + a.state()
                        + (a.decidedBy() == null ? "" : " (by " + a.decidedBy() + ")")
                        + " already; nothing more can be decided on it.");
              }
              if (forDecision
                  && a.expiresAt() != null
                  && a.expiresAt().isBefore(OffsetDateTime.now())) {
                throw Problem.conflict(
                    "Request " + a.requestId() + " expired; the agent no longer waits for it.");
              }
              return a;
            });
  }

  private static Uni<Tally> tally(SqlClient sql, ApprovalRecord a) {
    return sql.preparedQuery(
            "SELECT approver, email, decision, time_box_minutes, via, voted_at FROM"
                + " approval_votes WHERE approval_id = $1 AND tenant_id = $2 ORDER BY voted_at")
        .execute(Tuple.of(a.id(), a.tenantId()))
        .map(
            rows -> {
              List<Vote> votes = new ArrayList<>();
              for (Row r : rows) {
                votes.add(
                    new Vote(
                        r.getString("approver"),
                        r.getString("email"),
                        r.getString("decision"),
                        r.getInteger("time_box_minutes"),
                        r.getString("via"),
                        r.getOffsetDateTime("voted_at")));
              }
              return new Tally(a, votes);
            });
  }
}
