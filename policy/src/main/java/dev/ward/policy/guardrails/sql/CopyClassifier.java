package dev.ward.policy.guardrails.sql;

import dev.ward.policy.guardrails.sql.SqlLexer.Kind;
import dev.ward.policy.guardrails.sql.SqlLexer.Token;
import java.util.List;

/**
 * Classifies PostgreSQL COPY, which JSqlParser does not parse. {@code COPY t TO STDOUT} reads;
 * {@code COPY t FROM STDIN} writes; a server-side file or {@code PROGRAM} (which runs a shell
 * command on the database host) is always a write and is reported as its own operation.
 */
final class CopyClassifier {
  private CopyClassifier() {}

  static KeywordClassifier.Result classify(List<Token> tokens, int copy) {
    int i = copy + 1;
    TableName table = null;
    if (i < tokens.size() && tokens.get(i).isSymbol('(')) {
      i = skipParentheses(tokens, i);
    } else {
      String first = name(tokens, i);
      if (first == null) {
        return new KeywordClassifier.Result(StatementClass.UNKNOWN, "copy");
      }
      i++;
      if (i + 1 < tokens.size() && tokens.get(i).isSymbol('.') && name(tokens, i + 1) != null) {
        table = new TableName(first, name(tokens, i + 1));
        i += 2;
      } else {
        table = new TableName(null, first);
      }
      if (i < tokens.size() && tokens.get(i).isSymbol('(')) {
        i = skipParentheses(tokens, i);
      }
    }
    String direction = KeywordClassifier.wordAt(tokens, i);
    if (!"from".equals(direction) && !"to".equals(direction)) {
      return new KeywordClassifier.Result(StatementClass.UNKNOWN, "copy", table);
    }
    Token target = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    if (target != null && target.is("program")) {
      return new KeywordClassifier.Result(StatementClass.WRITE, "copy-program", table);
    }
    boolean stdio = target != null && (target.is("stdin") || target.is("stdout"));
    if (!stdio) {
      return new KeywordClassifier.Result(StatementClass.WRITE, "copy-file", table);
    }
    return direction.equals("from")
        ? new KeywordClassifier.Result(StatementClass.WRITE, "copy-from", table)
        : new KeywordClassifier.Result(StatementClass.READ, "copy-to", table);
  }

  private static String name(List<Token> tokens, int i) {
    if (i >= tokens.size()) {
      return null;
    }
    Token t = tokens.get(i);
    return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED ? t.text() : null;
  }

  private static int skipParentheses(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol('(')) {
        depth++;
      } else if (tokens.get(i).isSymbol(')')) {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
    }
    return tokens.size();
  }
}
