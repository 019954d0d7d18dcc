package dev.ward.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.Policies;
import dev.ward.policy.guardrails.Verdict;
import org.junit.jupiter.api.Test;

class StatementDecisionsTest {

  private final StatementDecisions decisions =
      new StatementDecisions(Policies.defaultPolicy().sqlGuardrails());

  @Test
  void aRepeatedStatementGetsTheSameDecisionWithoutBeingAnalysedAgain() {
    var first = decisions.evaluate("SELECT * FROM orders WHERE id = $1", false);
    var again = decisions.evaluate("SELECT * FROM orders WHERE id = $1", false);
    assertThat(again).isSameAs(first);
    assertThat(decisions.size()).isEqualTo(1);
  }

  @Test
  void theReadOnlyFlagIsPartOfTheDecision() {
    assertThat(decisions.evaluate("UPDATE orders SET paid = true WHERE id = 1", false).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decisions.evaluate("UPDATE orders SET paid = true WHERE id = 1", true).verdict())
        .isEqualTo(Verdict.DENY);
  }

  @Test
  void deniedStatementsStayDeniedWhenCached() {
    for (int i = 0; i < 3; i++) {
      assertThat(decisions.evaluate("DROP TABLE orders", false).verdict()).isEqualTo(Verdict.DENY);
    }
  }

  @Test
  void theCacheIsBoundedAndSkipsLongTexts() {
    for (int i = 0; i < StatementDecisions.CAPACITY + 500; i++) {
      decisions.evaluate("SELECT " + i, false);
    }
    assertThat(decisions.size()).isEqualTo(StatementDecisions.CAPACITY);
    String longText = "SELECT '" + "x".repeat(StatementDecisions.MAX_CACHED_TEXT) + "'";
    decisions.evaluate(longText, false);
    assertThat(decisions.size()).isEqualTo(StatementDecisions.CAPACITY);
  }
}
