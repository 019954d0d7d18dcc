package dev.ward.policy.guardrails.sql;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * Runs JSqlParser within a time budget. Its look-ahead backtracks exponentially on some inputs
 * (unbalanced or deeply nested parentheses take seconds to minutes), so a statement from an agent
 * must never be able to stall the caller: unbalanced text is not parsed at all, the slower
 * "complex" mode is tried only on shallow text, and a watchdog interrupts any parse that runs over
 * its budget. A statement the parser does not finish is left to the keyword classifier.
 */
final class BoundedParser {
  /** Budget of one parse attempt. */
  static final long BUDGET_MILLIS = 250;

  /** Deepest parenthesis nesting the complex mode is tried on. */
  static final int MAX_COMPLEX_DEPTH = 4;

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private BoundedParser() {}

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "ward-sql-parse-watchdog");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /**
   * JSqlParser's statement for {@code text}, or null when it cannot parse it in time.
   *
   * @param maxDepth the text's deepest parenthesis nesting, or -1 when unbalanced
   */
  static Statement parse(String text, int maxDepth) {
    if (maxDepth < 0) {
      return null;
    }
    Statement statement = attempt(text, false);
    if (statement == null && maxDepth <= MAX_COMPLEX_DEPTH) {
      statement = attempt(text, true);
    }
    return statement instanceof UnsupportedStatement ? null : statement;
  }

  private static Statement attempt(String text, boolean complex) {
    CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withAllowComplexParsing(complex);
    ScheduledFuture<?> alarm =
        WATCHDOG.schedule(() -> parser.interrupted = true, BUDGET_MILLIS, TimeUnit.MILLISECONDS);
    try {
      Statement statement = parser.Statement();
      // a statement followed by text the parser stopped at is not understood
      boolean whole = parser.getNextToken().kind == CCJSqlParserConstants.EOF;
      return whole && !parser.interrupted ? statement : null;
    } catch (ParseException | RuntimeException | StackOverflowError e) {
      // the parser's view of PostgreSQL is partial; the keyword classifier takes over
      return null;
    } finally {
      alarm.cancel(false);
    }
  }
}
