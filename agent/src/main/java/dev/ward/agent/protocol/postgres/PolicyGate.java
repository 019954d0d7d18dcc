package dev.ward.agent.protocol.postgres;

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

  /** The verdict on a statement about to be forwarded. */
  Verdict inspect(String mode, String text, List<String> parameters) {
    Verdict verdict = policy.inspect(new Operation(mode, text, parameters));
    if (!verdict.allowed()) {
      blocked++;
    }
    return verdict;
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
