package dev.ward.policy.guardrails.sql;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Classifies a statement JSqlParser parsed, and finds the tables it reads and writes and whether an
 * UPDATE or DELETE is bounded by a WHERE clause. Statement kinds it does not map are left to the
 * keyword classifier.
 */
final class ParsedClassifier {
  private ParsedClassifier() {}

  /** What the parse tells; {@code statementClass} is null for kinds left to the keywords. */
  record Result(
      StatementClass statementClass,
      String operation,
      Set<TableName> reads,
      Set<TableName> writes,
      boolean tablesKnown,
      boolean missingWhere) {}

  static Result classify(Statement statement) {
    Set<TableName> writes = new HashSet<>();
    StatementClass cls;
    String operation;
    boolean missingWhere = false;
    switch (statement) {
      case Select s -> {
        cls = StatementClass.READ;
        operation = "select";
      }
      case Insert s -> {
        cls = StatementClass.WRITE;
        operation = "insert";
        add(writes, s.getTable());
      }
      case Upsert s -> {
        cls = StatementClass.WRITE;
        operation = "insert";
        add(writes, s.getTable());
      }
      case Update s -> {
        cls = StatementClass.WRITE;
        operation = "update";
        add(writes, s.getTable());
        missingWhere = trivial(s.getWhere());
      }
      case Delete s -> {
        cls = StatementClass.WRITE;
        operation = "delete";
        add(writes, s.getTable());
        if (s.getTables() != null) {
          s.getTables().forEach(t -> add(writes, t));
        }
        missingWhere = trivial(s.getWhere());
      }
      case Merge s -> {
        cls = StatementClass.WRITE;
        operation = "merge";
        add(writes, s.getTable());
      }
      case Truncate s -> {
        cls = StatementClass.DDL;
        operation = "truncate";
        add(writes, s.getTable());
        if (s.getTables() != null) {
          s.getTables().forEach(t -> add(writes, t));
        }
      }
      case Drop s -> {
        cls = StatementClass.DDL;
        operation = "drop";
        add(writes, s.getName());
      }
      case Alter s -> {
        cls = StatementClass.DDL;
        operation = "alter";
        add(writes, s.getTable());
      }
      case AlterView s -> {
        cls = StatementClass.DDL;
        operation = "alter";
        add(writes, s.getView());
      }
      case CreateTable s -> {
        cls = StatementClass.DDL;
        operation = "create";
        add(writes, s.getTable());
      }
      case CreateIndex s -> {
        cls = StatementClass.DDL;
        operation = "create";
        add(writes, s.getTable());
      }
      case CreateView s -> {
        cls = StatementClass.DDL;
        operation = "create";
        add(writes, s.getView());
      }
      case Grant s -> {
        cls = StatementClass.DCL;
        operation = "grant";
      }
      default -> {
        return new Result(null, null, Set.of(), Set.of(), false, false);
      }
    }
    Set<TableName> reads = new HashSet<>();
    boolean known = true;
    try {
      for (String t : new TablesNamesFinder<Void>().getTables(statement)) {
        TableName name = parseName(t);
        if (!writes.contains(name)) {
          reads.add(name);
        }
      }
    } catch (RuntimeException e) {
      // the finder does not support every statement kind; match tables conservatively instead
      known = false;
      reads.clear();
    }
    return new Result(cls, operation, reads, writes, known, missingWhere);
  }

  private static void add(Set<TableName> into, Table table) {
    if (table != null && table.getName() != null) {
      into.add(TableName.of(table.getSchemaName(), table.getName()));
    }
  }

  /** A name as the finder prints it: {@code schema.table}, possibly with a database part. */
  private static TableName parseName(String qualified) {
    List<String> parts = splitQualified(qualified);
    String name = parts.getLast();
    String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
    return TableName.of(schema, name);
  }

  private static List<String> splitQualified(String qualified) {
    List<String> parts = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < qualified.length(); i++) {
      char c = qualified.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (c == '.' && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /**
   * No WHERE, or one that is always true ({@code WHERE true}, {@code WHERE 1 = 1}, {@code x = x}).
   */
  static boolean trivial(Expression where) {
    Expression e = where;
    while (e instanceof Parenthesis p) {
      e = p.getExpression();
    }
    if (e == null) {
      return true;
    }
    if (e instanceof BooleanValue b) {
      return b.getValue();
    }
    if (e instanceof LongValue l) {
      return l.getValue() != 0;
    }
    if (e instanceof EqualsTo eq) {
      return eq.getLeftExpression().toString().equals(eq.getRightExpression().toString());
    }
    return e.toString().trim().equalsIgnoreCase("true");
  }
}
