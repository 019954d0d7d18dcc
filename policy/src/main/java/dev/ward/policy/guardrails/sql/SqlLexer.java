package dev.ward.policy.guardrails.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a PostgreSQL query string into statements and tokens, respecting string literals ({@code
 * '...'}, {@code E'...'}, {@code $tag$...$tag$}), quoted identifiers and comments (nested block
 * comments included), so that a {@code ;} or a keyword inside a literal is never taken for
 * structure. Used to count stacked statements and by the keyword classifier.
 */
final class SqlLexer {
  private SqlLexer() {}

  /** Kinds of token. */
  enum Kind {
    WORD,
    QUOTED,
    STRING,
    NUMBER,
    SYMBOL
  }

  /** A token; words are lower-cased, quoted identifiers keep their case. */
  record Token(Kind kind, String text) {
    boolean is(String word) {
      return kind == Kind.WORD && text.equals(word);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }
  }

  /**
   * One statement of the query string.
   *
   * @param text the statement's text, without the terminating semicolon
   * @param tokens its tokens
   * @param complete false when a literal or comment was left open
   */
  record Piece(String text, List<Token> tokens, boolean complete) {}

  /** Splits {@code sql} into its non-empty statements. */
  static List<Piece> split(String sql) {
    List<Piece> pieces = new ArrayList<>();
    List<Token> tokens = new ArrayList<>();
    int pieceStart = 0;
    int i = 0;
    int n = sql.length();
    boolean complete = true;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = blockCommentEnd(sql, i);
        complete &= end >= 0;
        i = end < 0 ? n : end;
      } else if (c == '\'') {
        boolean escapes = endsWithEscapePrefix(tokens, sql, i);
        if (escapes) {
          tokens.removeLast();
        }
        int end = quotedEnd(sql, i, '\'', escapes);
        complete &= end >= 0;
        tokens.add(new Token(Kind.STRING, ""));
        i = end < 0 ? n : end;
      } else if (c == '"') {
        int end = quotedEnd(sql, i, '"', false);
        complete &= end >= 0;
        String ident = end < 0 ? sql.substring(i + 1) : sql.substring(i + 1, end - 1);
        tokens.add(new Token(Kind.QUOTED, ident.replace("\"\"", "\"")));
        i = end < 0 ? n : end;
      } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        complete &= close >= 0;
        tokens.add(new Token(Kind.STRING, ""));
        i = close < 0 ? n : close + tag.length();
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT)));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i)));
      } else if (c == ';') {
        addPiece(pieces, sql.substring(pieceStart, i), tokens, complete);
        tokens = new ArrayList<>();
        complete = true;
        i++;
        pieceStart = i;
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c)));
        i++;
      }
    }
    addPiece(pieces, sql.substring(pieceStart), tokens, complete);
    return pieces;
  }

  private static void addPiece(
      List<Piece> pieces, String text, List<Token> tokens, boolean complete) {
    if (!tokens.isEmpty() || !complete) {
      pieces.add(new Piece(text.strip(), List.copyOf(tokens), complete));
    }
  }

  /** Whether the quote at {@code i} opens an E'' string (the E is the previous, adjacent word). */
  private static boolean endsWithEscapePrefix(List<Token> tokens, String sql, int i) {
    return i > 0
        && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
        && !tokens.isEmpty()
        && tokens.getLast().is("e");
  }

  /** Index after the closing quote, or -1 when unterminated. A doubled quote is a literal quote. */
  private static int quotedEnd(String sql, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return -1;
  }

  /** Index after a nested block comment, or -1 when unterminated. */
  private static int blockCommentEnd(String sql, int open) {
    int depth = 0;
    int i = open;
    while (i + 1 < sql.length()) {
      if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return -1;
  }

  /** End of a dollar-quote tag ({@code $$} or {@code $name$}) at {@code i}, or -1. */
  private static int dollarTagEnd(String sql, int i) {
    if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
      return -1;
    }
    int j = i + 1;
    if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
      return -1; // $1 is a parameter
    }
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
  }
}
