package dev.ward.policy.guardrails.sql;

import dev.ward.policy.guardrails.sql.SqlLexer.Kind;
import dev.ward.policy.guardrails.sql.SqlLexer.Token;
import java.util.List;
import java.util.Set;

/**
 * Classifies a statement from its leading keywords, for PostgreSQL syntax the parser does not know
 * (and to double-check what it does). It errs on the strict side: anything that could write is
 * never called a read, and anything it does not recognise is {@link StatementClass#UNKNOWN}.
 */
final class KeywordClassifier {
  private KeywordClassifier() {}

  /** A class, an operation, and for COPY the table it names. */
  record Result(StatementClass statementClass, String operation, TableName copyTable) {
    Result(StatementClass statementClass, String operation) {
      this(statementClass, operation, null);
    }
  }

  /** Functions that change data or server state even inside a SELECT. */
  private static final Set<String> WRITING_FUNCTIONS =
      Set.of(
          "nextval",
          "setval",
          "set_config",
          "lo_import",
          "lo_unlink",
          "lo_create",
          "lo_creat",
          "lo_from_bytea",
          "lo_put",
          "lo_truncate",
          "dblink_exec",
          "pg_file_write",
          "pg_file_unlink",
          "pg_file_rename",
          "pg_logical_emit_message",
          "txid_current",
          "pg_current_xact_id",
          "pg_switch_wal",
          "pg_create_restore_point",
          "pg_create_logical_replication_slot",
          "pg_create_physical_replication_slot",
          "pg_drop_replication_slot",
          "pg_advisory_lock",
          "pg_advisory_xact_lock");

  /** Administrative functions whose effect is not a table read; a policy decides. */
  private static final Set<String> ADMIN_FUNCTIONS =
      Set.of(
          "pg_terminate_backend",
          "pg_cancel_backend",
          "pg_reload_conf",
          "pg_rotate_logfile",
          "pg_read_file",
          "pg_read_binary_file",
          "pg_ls_dir",
          "pg_stat_file",
          "lo_export",
          "dblink",
          "dblink_connect",
          "pg_promote",
          "pg_ls_logdir",
          "pg_ls_waldir");

  private static final Set<String> DML = Set.of("insert", "update", "delete", "merge");

  static Result classify(List<Token> tokens) {
    int first = firstWord(tokens, 0);
    if (first < 0) {
      return new Result(StatementClass.UNKNOWN, "unknown");
    }
    String word = tokens.get(first).text();
    String second = wordAt(tokens, first + 1);
    return switch (word) {
      case "select", "values", "table", "with" -> query(tokens, first);
      case "insert", "update", "delete", "merge", "upsert" ->
          new Result(StatementClass.WRITE, word.equals("upsert") ? "insert" : word);
      case "truncate" -> new Result(StatementClass.DDL, "truncate");
      case "create", "alter", "drop" -> definition(word, tokens, first);
      case "comment", "security", "import" -> new Result(StatementClass.DDL, word);
      case "grant", "revoke" -> new Result(StatementClass.DCL, word);
      case "begin", "start" ->
          readWrite(tokens)
              ? new Result(StatementClass.WRITE, "transaction-read-write")
              : new Result(StatementClass.TRANSACTION_CONTROL, "begin");
      case "commit", "end", "rollback", "abort", "savepoint", "release" ->
          new Result(
              StatementClass.TRANSACTION_CONTROL,
              word.equals("end") ? "commit" : word.equals("abort") ? "rollback" : word);
      case "prepare" ->
          "transaction".equals(second)
              ? new Result(StatementClass.TRANSACTION_CONTROL, "prepare-transaction")
              : inner(tokens, first, "as", "prepare");
      case "set" -> set(tokens, first);
      case "reset" ->
          "role".equals(second) || "session".equals(second)
              ? new Result(StatementClass.DCL, "set-role")
              : new Result(StatementClass.UTILITY, "reset");
      case "show",
          "discard",
          "listen",
          "unlisten",
          "notify",
          "deallocate",
          "checkpoint",
          "vacuum",
          "analyze",
          "analyse",
          "reindex",
          "cluster",
          "lock" ->
          new Result(StatementClass.UTILITY, word.equals("analyse") ? "analyze" : word);
      case "fetch", "move", "close" -> new Result(StatementClass.READ, word);
      case "explain" -> explain(tokens, first);
      case "declare" -> inner(tokens, first, "for", "declare");
      case "copy" -> CopyClassifier.classify(tokens, first);
      case "call", "do" -> new Result(StatementClass.WRITE, word);
      case "refresh" -> new Result(StatementClass.WRITE, "refresh");
      default -> new Result(StatementClass.UNKNOWN, word);
    };
  }

  /** SELECT, VALUES, TABLE or WITH: a read unless something inside writes. */
  private static Result query(List<Token> tokens, int first) {
    String dml = null;
    boolean into = false;
    boolean admin = false;
    for (int i = first; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() != Kind.WORD) {
        continue;
      }
      if (DML.contains(t.text()) && !lockingClause(tokens, i)) {
        dml = t.text();
      } else if (t.is("into")) {
        into = true;
      } else if (isCall(tokens, i) && WRITING_FUNCTIONS.contains(t.text())) {
        dml = dml == null ? "select-writing-function" : dml;
      } else if (isCall(tokens, i) && ADMIN_FUNCTIONS.contains(t.text())) {
        admin = true;
      }
    }
    if (dml != null) {
      return new Result(StatementClass.WRITE, dml);
    }
    if (into) {
      return new Result(StatementClass.WRITE, "select-into");
    }
    if (admin) {
      return new Result(StatementClass.UNKNOWN, "select-admin-function");
    }
    return new Result(StatementClass.READ, "select");
  }

  /** FOR UPDATE / FOR NO KEY UPDATE locks rows; it does not write them. */
  private static boolean lockingClause(List<Token> tokens, int i) {
    if (!tokens.get(i).is("update") || i == 0) {
      return false;
    }
    Token before = tokens.get(i - 1);
    return before.is("for")
        || (before.is("key")
            && i >= 3
            && tokens.get(i - 2).is("no")
            && tokens.get(i - 3).is("for"));
  }

  private static boolean isCall(List<Token> tokens, int i) {
    return i + 1 < tokens.size() && tokens.get(i + 1).isSymbol('(');
  }

  private static Result definition(String verb, List<Token> tokens, int first) {
    int i = first + 1;
    // CREATE OR REPLACE, CREATE TEMP, CREATE UNLOGGED ...
    while (i < tokens.size()
        && (tokens.get(i).is("or")
            || tokens.get(i).is("replace")
            || tokens.get(i).is("temp")
            || tokens.get(i).is("temporary")
            || tokens.get(i).is("unlogged")
            || tokens.get(i).is("global")
            || tokens.get(i).is("local"))) {
      i++;
    }
    String object = wordAt(tokens, i);
    if ("role".equals(object) || "user".equals(object) || "group".equals(object)) {
      return new Result(StatementClass.DCL, verb + "-role");
    }
    if (verb.equals("alter") && "default".equals(object)) {
      return new Result(StatementClass.DCL, "grant");
    }
    if (verb.equals("alter") && "system".equals(object)) {
      return new Result(StatementClass.DDL, "alter-system");
    }
    return new Result(StatementClass.DDL, verb);
  }

  private static Result set(List<Token> tokens, int first) {
    String second = wordAt(tokens, first + 1);
    if ("role".equals(second)
        || "session".equals(second) && "authorization".equals(wordAt(tokens, first + 2))) {
      return new Result(StatementClass.DCL, "set-role");
    }
    if (readWrite(tokens)) {
      return new Result(StatementClass.WRITE, "transaction-read-write");
    }
    String setting =
        "session".equals(second) || "local".equals(second) ? wordAt(tokens, first + 2) : second;
    if (("default_transaction_read_only".equals(setting) || "transaction_read_only".equals(setting))
        && turnsOff(tokens)) {
      return new Result(StatementClass.WRITE, "transaction-read-write");
    }
    return new Result(StatementClass.UTILITY, "set");
  }

  private static boolean turnsOff(List<Token> tokens) {
    for (Token t : tokens) {
      if (t.is("off")
          || t.is("false")
          || t.is("default")
          || (t.kind() == Kind.NUMBER && t.text().equals("0"))) {
        return true;
      }
      if (t.kind() == Kind.STRING) {
        return true; // '0', 'off' and friends: treat any quoted value as a change
      }
    }
    return false;
  }

  /** Whether the tokens ask for a READ WRITE transaction. */
  private static boolean readWrite(List<Token> tokens) {
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).is("read") && tokens.get(i + 1).is("write")) {
        return true;
      }
    }
    return false;
  }

  private static Result explain(List<Token> tokens, int first) {
    boolean analyze = false;
    int i = first + 1;
    if (i < tokens.size() && tokens.get(i).isSymbol('(')) {
      for (; i < tokens.size() && !tokens.get(i).isSymbol(')'); i++) {
        if (tokens.get(i).is("analyze") || tokens.get(i).is("analyse")) {
          analyze =
              !(i + 1 < tokens.size()
                  && (tokens.get(i + 1).is("false") || tokens.get(i + 1).is("off")));
        }
      }
      i++;
    }
    while (i < tokens.size()
        && (tokens.get(i).is("analyze")
            || tokens.get(i).is("analyse")
            || tokens.get(i).is("verbose"))) {
      analyze |= !tokens.get(i).is("verbose");
      i++;
    }
    Result target = classify(tokens.subList(Math.min(i, tokens.size()), tokens.size()));
    if (analyze && target.statementClass() != StatementClass.READ) {
      return target; // EXPLAIN ANALYZE runs the statement
    }
    return new Result(StatementClass.READ, "explain");
  }

  /** PREPARE name AS stmt, DECLARE cursor FOR query: the inner statement decides. */
  private static Result inner(List<Token> tokens, int first, String marker, String operation) {
    for (int i = first + 1; i < tokens.size(); i++) {
      if (tokens.get(i).is(marker)) {
        Result target = classify(tokens.subList(i + 1, tokens.size()));
        return target.statementClass() == StatementClass.READ
            ? new Result(StatementClass.READ, operation)
            : target;
      }
    }
    return new Result(StatementClass.UNKNOWN, operation);
  }

  static int firstWord(List<Token> tokens, int from) {
    for (int i = from; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.WORD) {
        return i;
      }
      if (!t.isSymbol('(')) {
        return -1;
      }
    }
    return -1;
  }

  static String wordAt(List<Token> tokens, int i) {
    return i < tokens.size() && tokens.get(i).kind() == Kind.WORD ? tokens.get(i).text() : null;
  }
}
