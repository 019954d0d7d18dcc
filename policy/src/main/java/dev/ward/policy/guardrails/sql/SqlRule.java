package dev.ward.policy.guardrails.sql;

import dev.ward.policy.guardrails.RuleAction;
import java.util.List;
import java.util.Set;

/**
 * One SQL guardrail. It matches a statement when every condition it sets holds; a rule that sets
 * none matches every statement (a catch-all at the end of the list).
 *
 * @param action what happens on a match
 * @param operations operations that match (e.g. {@code drop}, {@code copy-program}); empty: any
 * @param classes statement classes that match; empty: any
 * @param withoutWhere when true, only UPDATE and DELETE without a (non-trivial) WHERE match
 * @param tables tables the statement must touch; empty: any
 * @param access which use of those tables matters
 * @param stacked when true, only statements of a string holding several statements match
 */
public record SqlRule(
    RuleAction action,
    Set<String> operations,
    Set<StatementClass> classes,
    boolean withoutWhere,
    List<TablePattern> tables,
    TableAccess access,
    boolean stacked) {

  public SqlRule {
    operations = Set.copyOf(operations);
    classes = Set.copyOf(classes);
    tables = List.copyOf(tables);
  }

  /** Every operation name a rule may use. */
  public static final Set<String> OPERATIONS =
      Set.of(
          "select",
          "insert",
          "update",
          "delete",
          "merge",
          "truncate",
          "create",
          "alter",
          "drop",
          "comment",
          "security",
          "import",
          "grant",
          "revoke",
          "create-role",
          "alter-role",
          "drop-role",
          "set-role",
          "alter-system",
          "begin",
          "commit",
          "rollback",
          "savepoint",
          "release",
          "prepare",
          "prepare-transaction",
          "transaction-read-write",
          "set",
          "reset",
          "show",
          "discard",
          "listen",
          "unlisten",
          "notify",
          "deallocate",
          "checkpoint",
          "vacuum",
          "analyze",
          "reindex",
          "cluster",
          "lock",
          "fetch",
          "move",
          "close",
          "explain",
          "declare",
          "copy",
          "copy-to",
          "copy-from",
          "copy-file",
          "copy-program",
          "call",
          "do",
          "refresh",
          "execute",
          "select-into",
          "select-writing-function",
          "select-admin-function",
          "unknown",
          "unterminated",
          "oversized");

  /** Whether this rule matches {@code statement} of a string holding {@code count} statements. */
  public boolean matches(SqlStatement statement, int count) {
    if (stacked && count < 2) {
      return false;
    }
    if (!operations.isEmpty() && !matchesOperation(statement.operation())) {
      return false;
    }
    if (!classes.isEmpty() && !classes.contains(statement.statementClass())) {
      return false;
    }
    if (withoutWhere && !statement.missingWhere()) {
      return false;
    }
    return tables.isEmpty() || touchesTables(statement);
  }

  private boolean matchesOperation(String operation) {
    // "copy" covers every form of COPY
    return operations.contains(operation)
        || (operation.startsWith("copy-") && operations.contains("copy"));
  }

  private boolean touchesTables(SqlStatement statement) {
    if (!statement.tablesKnown()) {
      boolean writes = statement.statementClass() != StatementClass.READ;
      if (access == TableAccess.WRITE && !writes) {
        return false;
      }
      return tables.stream().anyMatch(p -> p.mayMatch(statement.mentions()));
    }
    for (TablePattern pattern : tables) {
      if (access != TableAccess.WRITE && statement.reads().stream().anyMatch(pattern::matches)) {
        return true;
      }
      if (access != TableAccess.READ && statement.writes().stream().anyMatch(pattern::matches)) {
        return true;
      }
    }
    return false;
  }
}
