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
   * Called once per result set with its columns; returns a rewriter the listener applies to every
   * row of it, or null when the rows pass unchanged (then the listener does not decode them).
   */
  RowRewriter results(List<ResultColumn> columns);

  /**
   * Whether this policy wants to see result columns at all. When true, a listener makes sure it
   * knows the columns of every result even if the client did not ask for them.
   */
  default boolean inspectsResults() {
    return true;
  }
}
