package dev.ward.policy.guardrails.sql;

import dev.ward.policy.guardrails.Decision;
import java.util.List;

/**
 * The SQL guardrails of a policy. Each statement of a query string is checked against the rules in
 * order, the first match deciding; a statement no rule matches is allowed. The string's decision is
 * the strictest of its statements' (deny over hold over allow).
 */
public final class SqlGuardrails {
  /** Rule id of the refusal of writes on read-only access. */
  public static final String READ_ONLY_RULE = "read-only-access";

  private final List<SqlRule> rules;

  public SqlGuardrails(List<SqlRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Classifies {@code sql} and decides on it. */
  public Decision evaluate(String sql) {
    return evaluate(SqlClassifier.classify(sql));
  }

  /**
   * Decides on {@code sql} for a session whose access is read-only or not. On read-only access, any
   * statement that may write is denied before the rules are consulted; the agent also runs the
   * session in a READ ONLY transaction, so this refusal is the first of two locks.
   */
  public Decision evaluate(String sql, boolean readOnly) {
    SqlAnalysis analysis = SqlClassifier.classify(sql);
    if (readOnly) {
      for (SqlStatement s : analysis.statements()) {
        if (!s.statementClass().allowedReadOnly()) {
          return Decision.deny(
              READ_ONLY_RULE,
              "This connection is read-only for you; "
                  + s.operation()
                  + " ("
                  + s.statementClass().policyName()
                  + ") is not allowed. Ask for read-write access to run it.");
        }
      }
    }
    return evaluate(analysis);
  }

  /** Decides on an already classified string. */
  public Decision evaluate(SqlAnalysis analysis) {
    Decision result = Decision.allow();
    int count = analysis.statements().size();
    for (SqlStatement statement : analysis.statements()) {
      result = result.stricter(decide(statement, count));
    }
    return result;
  }

  private Decision decide(SqlStatement statement, int count) {
    for (SqlRule rule : rules) {
      if (rule.matches(statement, count)) {
        return rule.action().decision();
      }
    }
    return Decision.allow();
  }
}
