package dev.ward.policy.guardrails.sql;

import java.util.Set;

/**
 * One classified statement of a query string.
 *
 * @param statementClass its class
 * @param operation the operation in policy words, e.g. {@code select}, {@code drop}, {@code
 *     copy-program}, {@code transaction-read-write}
 * @param reads tables it only reads (empty when {@code tablesKnown} is false)
 * @param writes tables it writes or changes (empty when {@code tablesKnown} is false)
 * @param tablesKnown whether the parser resolved the tables; when not, table rules match
 *     conservatively on {@code mentions}
 * @param mentions every identifier in the statement, for conservative matching
 * @param missingWhere an UPDATE or DELETE without a WHERE clause (or with an always-true one)
 * @param parsed whether JSqlParser parsed the statement
 */
public record SqlStatement(
    StatementClass statementClass,
    String operation,
    Set<TableName> reads,
    Set<TableName> writes,
    boolean tablesKnown,
    Set<String> mentions,
    boolean missingWhere,
    boolean parsed) {

  public SqlStatement {
    reads = Set.copyOf(reads);
    writes = Set.copyOf(writes);
    mentions = Set.copyOf(mentions);
  }
}
