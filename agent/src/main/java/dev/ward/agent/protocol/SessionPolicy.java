package dev.ward.agent.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The one seam through which policy acts on a session's traffic: access rules and guardrails
 * through {@link #inspect}, masking through {@link #results}. Protocol listeners call it on their
 * event loop, so implementations must not block.
 */
public interface SessionPolicy {

  /** Allows everything, rewrites nothing, and asks to see no results. */
  SessionPolicy PASS_THROUGH =
      new SessionPolicy() {
        @Override
        public Verdict inspect(Operation operation) {
          return Verdict.allow();
        }

        @Override
        public RowRewriter results(List<ResultColumn> columns) {
          return null;
        }

        @Override
        public boolean inspectsResults() {
          return false;
        }
      };

  /**
   * Why the session may not be used at all, or empty when it may. Listeners ask before they connect
   * upstream and, when refused, answer the client with the reason and close.
   */
  default Optional<String> refusal() {
    return Optional.empty();
  }

  /**
   * Decides on an operation before it is forwarded upstream. A denied operation is answered with a
   * protocol error naming the rule and reason, and never reaches the upstream.
   */
  Verdict inspect(Operation operation);

  /**
   * Holds an operation that {@link #inspect} answered with {@link Verdict.Action#HOLD} until
   * approvers decide, or returns null when this policy cannot hold (the listener then refuses the
   * operation). Must not block.
   *
   * @param operation the operation with its text and bound parameters
   * @param verdict the hold verdict {@link #inspect} gave
   */
  default ApprovalHold hold(Operation operation, Verdict verdict) {
    return null;
  }

  /**
   * Called once per result set with its columns; returns a rewriter the listener applies to every
   * row of it, or null when the rows pass unchanged (then the listener does not decode them).
   */
  RowRewriter results(List<ResultColumn> columns);

  /**
   * Whether this policy matches result columns by the schema and table they come from, so a
   * listener should resolve those ({@link ResultColumn#source()}) before calling {@link #results}.
   */
  default boolean needsTableNames() {
    return false;
  }

  /**
   * Whether this policy wants to see result columns at all. When true, a listener makes sure it
   * knows the columns of every result even if the client did not ask for them.
   */
  default boolean inspectsResults() {
    return true;
  }

  /**
   * Decides on an HTTP request by its method and path (query included; policy drops it) before it
   * is forwarded. Applies to every HTTP-carried protocol: APIs, Git smart HTTP and MCP.
   */
  default Verdict inspectRequest(String method, String path) {
    return Verdict.allow();
  }

  /** Decides on an MCP {@code tools/call} by tool name and its {@code arguments} as JSON. */
  default Verdict inspectToolCall(String tool, String argumentsJson) {
    return Verdict.allow();
  }

  /**
   * Decides on one ref update of a Git push.
   *
   * @param oldId the ref's current object id, all zeros when the push creates it
   * @param newId the pushed object id, all zeros when the push deletes the ref
   * @param force whether the update is not a fast-forward
   */
  default Verdict inspectRefUpdate(String ref, String oldId, String newId, boolean force) {
    return Verdict.allow();
  }

  /**
   * Masks a body or message going back to the client (or into a recording), counting what it masked
   * into {@code tally} under the location masking reports (a JSON path or {@code text}).
   *
   * @param json whether the text is a JSON document; one that does not parse is masked as text
   * @return the masked text, or {@code text} itself when nothing was masked
   */
  default String maskBody(String text, boolean json, MaskingTally tally) {
    return text;
  }

  /**
   * Whether an LLM request whose prompt carries something masking finds is refused instead of sent
   * on masked.
   */
  default boolean blocksSecretPrompts() {
    return false;
  }
}
