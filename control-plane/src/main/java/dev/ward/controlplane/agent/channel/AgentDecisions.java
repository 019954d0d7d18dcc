package dev.ward.controlplane.agent.channel;

import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ControlMessage;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;

/** An approval decision as the agent receives it, from a row of the approvals table. */
final class AgentDecisions {

  private AgentDecisions() {}

  static ControlMessage of(Row r) {
    OffsetDateTime box = r.getOffsetDateTime("time_box_until");
    return ControlMessage.newBuilder()
        .setApprovalDecision(
            ApprovalDecision.newBuilder()
                .setRequestId(r.getString("request_id"))
                .setOutcome(r.getString("state"))
                .setDecidedBy(orEmpty(r.getString("decided_by")))
                .setReason(orEmpty(r.getString("reason")))
                .setOperationHash(r.getString("operation_hash"))
                .setTimeBoxUntilUnixMillis(box == null ? 0 : box.toInstant().toEpochMilli()))
        .build();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
