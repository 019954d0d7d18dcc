package dev.ward.controlplane.approval.service;

import dev.ward.proto.channel.v1.ApprovalDecision;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One approval request as the approval services read it: what is held, the rule's terms and the
 * outcome.
 */
public record ApprovalRecord(
    UUID id,
    UUID tenantId,
    UUID agentId,
    String requestId,
    String sessionId,
    UUID connectionId,
    String connectionName,
    String subject,
    String email,
    String actor,
    String kind,
    String operation,
    String operationHash,
    String rule,
    String ruleReason,
    List<String> approverGroups,
    int minApprovals,
    boolean selfApproval,
    long maxTimeBoxMillis,
    String state,
    OffsetDateTime requestedAt,
    OffsetDateTime expiresAt,
    OffsetDateTime decidedAt,
    String decidedBy,
    String reason,
    OffsetDateTime timeBoxUntil,
    String slackChannel,
    String slackTs) {

  /** The columns {@link #of(Row)} reads. */
  public static final String COLUMNS =
      "id, tenant_id, agent_id, request_id, session_id, connection_id, connection_name, subject,"
          + " email, actor, kind, operation, operation_hash, rule, rule_reason, approver_group,"
          + " approver_groups, min_approvals, self_approval, max_time_box_ms, state, requested_at,"
          + " expires_at, decided_at, decided_by, reason, time_box_until, slack_channel, slack_ts";

  public static ApprovalRecord of(Row r) {
    String[] groups = r.getArrayOfStrings("approver_groups");
    List<String> approverGroups =
        groups != null && groups.length > 0
            ? Arrays.asList(groups)
            : r.getString("approver_group") == null
                ? List.of()
                : List.of(r.getString("approver_group"));
    UUID session = r.getUUID("session_id");
    return new ApprovalRecord(
        r.getUUID("id"),
        r.getUUID("tenant_id"),
        r.getUUID("agent_id"),
        r.getString("request_id"),
        session == null ? null : session.toString(),
        r.getUUID("connection_id"),
        r.getString("connection_name"),
        r.getString("subject"),
        r.getString("email"),
        r.getString("actor"),
        r.getString("kind"),
        r.getString("operation"),
        r.getString("operation_hash"),
        r.getString("rule"),
        r.getString("rule_reason"),
        approverGroups,
        r.getInteger("min_approvals"),
        Boolean.TRUE.equals(r.getBoolean("self_approval")),
        r.getLong("max_time_box_ms"),
        r.getString("state"),
        r.getOffsetDateTime("requested_at"),
        r.getOffsetDateTime("expires_at"),
        r.getOffsetDateTime("decided_at"),
        r.getString("decided_by"),
        r.getString("reason"),
        r.getOffsetDateTime("time_box_until"),
        r.getString("slack_channel"),
        r.getString("slack_ts"));
  }

  public boolean pending() {
    return "pending".equals(state);
  }

  /**
   * The decision the agent holding the request is told, or null when the state is not one the agent
   * acts on (pending, or withdrawn by the agent itself).
   */
  public ApprovalDecision decision() {
    if (!List.of("approved", "denied", "expired", "cancelled").contains(state)) {
      return null;
    }
    return ApprovalDecision.newBuilder()
        .setRequestId(requestId)
        .setOutcome(state)
        .setDecidedBy(decidedBy == null ? "" : decidedBy)
        .setReason(reason == null ? "" : reason)
        .setOperationHash(operationHash)
        .setTimeBoxUntilUnixMillis(
            timeBoxUntil == null ? 0 : timeBoxUntil.toInstant().toEpochMilli())
        .build();
  }
}
