package dev.ward.policy.guardrails.sql;

import java.util.List;

/**
 * The statements of one simple-query string, classified. More than one statement means the string
 * stacks statements ({@code SELECT 1; DROP TABLE t}).
 */
public record SqlAnalysis(List<SqlStatement> statements) {

  public SqlAnalysis {
    statements = List.copyOf(statements);
  }

  /** Whether the string holds more than one statement. */
  public boolean stacked() {
    return statements.size() > 1;
  }

  /** Whether every statement may run on a read-only connection. */
  public boolean readOnlySafe() {
    return statements.stream().allMatch(s -> s.statementClass().allowedReadOnly());
  }
}
