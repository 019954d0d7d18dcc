package dev.ward.policy.guardrails.sql;

import dev.ward.policy.guardrails.sql.SqlLexer.Kind;
import dev.ward.policy.guardrails.sql.SqlLexer.Piece;
import dev.ward.policy.guardrails.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.statement.Statement;

/**
 * Classifies a simple-query string: splits it into statements, parses each with JSqlParser, and
 * checks each against the keyword classifier, which also takes over where the parser fails. Never
 * throws on any input; what cannot be understood is {@link StatementClass#UNKNOWN}.
 */
public final class SqlClassifier {
  /** Query strings longer than this are not analysed at all: one unknown statement. */
  public static final int MAX_QUERY_LENGTH = 1 << 20;

  /** Statements longer than this skip the parser (its backtracking is not linear). */
  static final int MAX_PARSED_LENGTH = 64 * 1024;

  private SqlClassifier() {}

  /** Classifies every statement of {@code sql}. */
  public static SqlAnalysis classify(String sql) {
    if (sql == null || sql.length() > MAX_QUERY_LENGTH) {
      return new SqlAnalysis(List.of(unknown("oversized")));
    }
    List<SqlStatement> statements = new ArrayList<>();
    for (Piece piece : SqlLexer.split(sql)) {
      statements.add(classify(piece));
    }
    return new SqlAnalysis(statements);
  }

  private static SqlStatement classify(Piece piece) {
    Set<String> mentions = mentions(piece.tokens());
    if (!piece.complete()) {
      return new SqlStatement(
          StatementClass.UNKNOWN,
          "unterminated",
          Set.of(),
          Set.of(),
          false,
          mentions,
          false,
          false);
    }
    KeywordClassifier.Result byKeyword = KeywordClassifier.classify(piece.tokens());
    Statement parsed = parse(piece);
    ParsedClassifier.Result byParser = parsed == null ? null : ParsedClassifier.classify(parsed);
    if (byParser == null || byParser.statementClass() == null) {
      return fromKeywords(byKeyword, piece, mentions, parsed != null);
    }
    StatementClass cls = byParser.statementClass();
    String operation = byParser.operation();
    if (cls == StatementClass.READ && byKeyword.statementClass() != StatementClass.READ) {
      // never call a statement a read when its keywords say it may write
      cls = byKeyword.statementClass();
      operation = byKeyword.operation();
    }
    return new SqlStatement(
        cls,
        operation,
        byParser.reads(),
        byParser.writes(),
        byParser.tablesKnown(),
        mentions,
        byParser.missingWhere(),
        true);
  }

  private static SqlStatement fromKeywords(
      KeywordClassifier.Result byKeyword, Piece piece, Set<String> mentions, boolean parsed) {
    Set<TableName> reads = new HashSet<>();
    Set<TableName> writes = new HashSet<>();
    boolean known = false;
    if (byKeyword.copyTable() != null) {
      (byKeyword.statementClass() == StatementClass.READ ? reads : writes)
          .add(byKeyword.copyTable());
      known = true;
    }
    boolean missingWhere =
        (byKeyword.operation().equals("update") || byKeyword.operation().equals("delete"))
            && !mentions.contains("where");
    return new SqlStatement(
        byKeyword.statementClass(),
        byKeyword.operation(),
        reads,
        writes,
        known,
        mentions,
        missingWhere,
        parsed);
  }

  /** JSqlParser's statement, or null when it cannot parse (or should not try). */
  private static Statement parse(Piece piece) {
    if (piece.text().length() > MAX_PARSED_LENGTH) {
      return null;
    }
    return BoundedParser.parse(piece.text(), nesting(piece.tokens()));
  }

  /** Deepest parenthesis nesting outside literals, or -1 when unbalanced. */
  static int nesting(List<Token> tokens) {
    int depth = 0;
    int max = 0;
    for (Token t : tokens) {
      if (t.isSymbol('(')) {
        max = Math.max(max, ++depth);
      } else if (t.isSymbol(')') && --depth < 0) {
        return -1;
      }
    }
    return depth == 0 ? max : -1;
  }

  private static Set<String> mentions(List<Token> tokens) {
    Set<String> words = new HashSet<>();
    for (Token t : tokens) {
      if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED) {
        words.add(t.text());
      }
    }
    return words;
  }

  private static SqlStatement unknown(String operation) {
    return new SqlStatement(
        StatementClass.UNKNOWN, operation, Set.of(), Set.of(), false, Set.of(), false, false);
  }
}
