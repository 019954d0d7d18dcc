package dev.ward.controlplane.approval.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * Audit events of approval steps, written with plain SQL in the step's own transaction: steps come
 * from agents, Slack and the API, not all of which run in a request with a tenant scope.
 */
final class AuditRows {

  private AuditRows() {}

  static Uni<Void> record(
      SqlClient sql,
      UUID tenantId,
      String actor,
      String action,
      UUID approvalId,
      JsonObject after) {
    return sql.preparedQuery(
            "INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id,"
                + " after) VALUES ($1, $2, $3, $4, 'approval', $5, $6)")
        .execute(
            Tuple.of(
                UUID.randomUUID(),
                tenantId,
                actor,
                action,
                approvalId.toString(),
                after == null ? null : after))
        .replaceWithVoid();
  }

  /** What an audit event shows of a request after a step: never more than approvers see. */
  static JsonObject view(ApprovalRecord a) {
    return new JsonObject()
        .put("requestId", a.requestId())
        .put("state", a.state())
        .put("subject", a.subject())
        .put("actor", a.actor())
        .put("rule", a.rule())
        .put("operationHash", a.operationHash())
        .put("decidedBy", a.decidedBy())
        .put("reason", a.reason())
        .put("timeBoxUntil", a.timeBoxUntil() == null ? null : a.timeBoxUntil().toString());
  }
}
