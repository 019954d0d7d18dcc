package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ApprovalHold;
import dev.ward.agent.protocol.HoldOutcome;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.util.List;

/**
 * The one place where policy acts on a PostgreSQL session: every statement (simple query, Parse,
 * function call) is put to {@link SessionPolicy#inspect} before it is forwarded, and every row of a
 * result the policy wants to see is decoded, rewritten and re-encoded here. Denials become an
 * ErrorResponse with SQLSTATE 42501 that names the rule.
 */
final class PolicyGate {

  static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final SessionPolicy policy;
  private long blocked;
  private long masked;

  PolicyGate(SessionPolicy policy) {
    this.policy = policy;
  }

  /** SQLSTATE query_canceled: the client withdrew a held statement. */
  static final String QUERY_CANCELED = "57014";

  /** The verdict on a statement about to be forwarded; holds count as blocked once refused. */
  Verdict inspect(String mode, String text, List<String> parameters) {
    Verdict verdict = policy.inspect(new Operation(mode, text, parameters));
    if (verdict.action() == Verdict.Action.DENY) {
      blocked++;
    }
    return verdict;
  }

  /**
   * Holds an operation for approval, or null when the policy cannot hold (then the operation is
   * refused with {@link #refusal}).
   */
  ApprovalHold hold(Operation operation, Verdict verdict) {
    return policy.hold(operation, verdict);
  }

  /** Counts a held statement that will not run. */
  void holdRefused() {
    blocked++;
  }

  /** The NoticeResponse that tells the client its statement waits, where, and for how long. */
  static Buffer holdNotice(Verdict verdict, ApprovalHold hold) {
    String message =
        "Ward holds this statement for approval (rule "
            + verdict.rule()
            + "): "
            + verdict.reason()
            + " Approval request "
            + hold.requestId()
            + "."
            + (hold.link().isEmpty() ? "" : " Approve or deny it at " + hold.link() + " .");
    return BackendMessages.notice(
        message,
        "The statement runs as soon as it is approved; cancel the query to withdraw the request.");
  }

  /** The ErrorResponse for a held statement that will not run, saying who decided and why. */
  static Buffer holdRefusal(Verdict verdict, String requestId, HoldOutcome outcome) {
    String who = outcome.decidedBy().isEmpty() ? "an approver" : outcome.decidedBy();
    return switch (outcome.state()) {
      case DENIED ->
          BackendMessages.error(
              "ERROR",
              INSUFFICIENT_PRIVILEGE,
              "Ward: approval request "
                  + requestId
                  + " was denied by "
                  + who
                  + ": "
                  + (outcome.reason().isEmpty() ? "no reason given" : outcome.reason()),
              "Change the statement or talk to the approver before trying again.");
      case EXPIRED ->
          BackendMessages.error(
              "ERROR",
              INSUFFICIENT_PRIVILEGE,
              "Ward: approval request "
                  + requestId
                  + " timed out ("
                  + outcome.reason()
                  + "); the statement did not run (rule "
                  + verdict.rule()
                  + ")",
              "Send the statement again when an approver is available.");
      default ->
          BackendMessages.error(
              "ERROR",
              QUERY_CANCELED,
              "Ward: approval request "
                  + requestId
                  + " was withdrawn ("
                  + outcome.reason()
                  + "); the statement did not run",
              "");
    };
  }

  /** The ErrorResponse that tells the client why a statement was not run. */
  static Buffer refusal(Verdict verdict) {
    String message =
        verdict.action() == Verdict.Action.HOLD
            ? "Ward holds this statement for approval (rule "
                + verdict.rule()
                + "): "
                + verdict.reason()
            : "Ward policy denied this statement (rule "
                + verdict.rule()
                + "): "
                + verdict.reason();
    String hint =
        verdict.action() == Verdict.Action.HOLD
            ? "Approvals are not available on this connection yet; ask your Ward administrator."
            : "Ask your Ward administrator if you need this statement allowed.";
    return BackendMessages.error("ERROR", INSUFFICIENT_PRIVILEGE, message, hint);
  }

  /** The rewriter for a result's rows, or null when they pass unchanged. */
  /** Whether results should come with the tables their columns are from. */
  boolean needsTableNames() {
    return policy.needsTableNames();
  }

  RowRewriter results(List<ResultColumn> columns) {
    return policy.results(columns);
  }

  /** Whether the agent must know every result's columns, asking the upstream if needed. */
  boolean inspectsResults() {
    return policy.inspectsResults();
  }

  /** Applies a rewriter to one DataRow; returns the message to forward. */
  Buffer rewrite(Buffer dataRow, RowRewriter rewriter, Charset charset) {
    DataRowValues row = DataRowValues.decode(dataRow, charset);
    int changed = rewriter.rewrite(row);
    masked += Math.max(0, changed);
    return row.changed() ? row.encode() : dataRow;
  }

  long blockedCount() {
    return blocked;
  }

  long maskedCount() {
    return masked;
  }
}
