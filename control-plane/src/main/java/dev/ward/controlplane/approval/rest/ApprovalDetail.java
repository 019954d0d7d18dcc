package dev.ward.controlplane.approval.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ward.controlplane.approval.service.ApprovalRecord;
import dev.ward.controlplane.approval.service.ApprovalVotes;
import java.util.List;

/**
 * One approval request with the rule's terms and the votes cast so far: the record's fields as they
 * are, minus what stays inside the control plane (tenant and agent ids, the Slack message it was
 * posted as), with the time box limit in minutes rather than milliseconds.
 */
public record ApprovalDetail(
    @JsonUnwrapped
        @JsonIgnoreProperties({
          "tenantId",
          "agentId",
          "maxTimeBoxMillis",
          "slackChannel",
          "slackTs"
        })
        ApprovalRecord approval,
    List<ApprovalVotes.Vote> votes) {

  /** The longest time box an approver may grant, as the console asks for it. */
  @JsonProperty("maxTimeBoxMinutes")
  public long maxTimeBoxMinutes() {
    return approval.maxTimeBoxMillis() / 60_000;
  }

  static ApprovalDetail of(ApprovalVotes.Tally t) {
    return new ApprovalDetail(t.approval(), t.votes());
  }
}
