package dev.ward.controlplane.approval.rest;

import dev.ward.controlplane.approval.service.ApprovalRecord;
import dev.ward.controlplane.approval.service.ApprovalVotes;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One approval request with the rule's terms and the votes cast so far. */
public record ApprovalDetail(
    UUID id,
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
    long maxTimeBoxMinutes,
    String state,
    OffsetDateTime requestedAt,
    OffsetDateTime expiresAt,
    OffsetDateTime decidedAt,
    String decidedBy,
    String reason,
    OffsetDateTime timeBoxUntil,
    List<ApprovalVotes.Vote> votes) {

  static ApprovalDetail of(ApprovalVotes.Tally t) {
    ApprovalRecord a = t.approval();
    return new ApprovalDetail(
        a.id(),
        a.requestId(),
        a.sessionId(),
        a.connectionId(),
        a.connectionName(),
        a.subject(),
        a.email(),
        a.actor(),
        a.kind(),
        a.operation(),
        a.operationHash(),
        a.rule(),
        a.ruleReason(),
        a.approverGroups(),
        a.minApprovals(),
        a.selfApproval(),
        a.maxTimeBoxMillis() / 60_000,
        a.state(),
        a.requestedAt(),
        a.expiresAt(),
        a.decidedAt(),
        a.decidedBy(),
        a.reason(),
        a.timeBoxUntil(),
        t.votes());
  }
}
