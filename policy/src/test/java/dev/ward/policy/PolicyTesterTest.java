package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.guardrails.Verdict;
import dev.ward.policy.masking.fields.ColumnInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PolicyTesterTest {
  private static final String POLICY =
      """
      {"schemaVersion": 1,
       "masking": {"fields": [{"id": "ssn", "match": "*.ssn"}]},
       "guardrails": {"sql": [{"id": "no-drop", "operations": ["drop"], "action": "deny"}]}}
      """;

  @Test
  void dryRunShowsMaskedTextRowsAndTheSqlDecision() {
    String ghp = "ghp_" + Samples.alnum(36, 5);
    PolicyTester.Sample sample =
        new PolicyTester.Sample(
            "token " + ghp,
            null,
            List.of(new ColumnInfo(null, "users", "ssn", 25), ColumnInfo.of("name", 25)),
            List.of(List.of("123-45-6789", "Jane"), Arrays.asList(null, "Joe")),
            "DROP TABLE users",
            false);

    PolicyTester.Report report = PolicyTester.test(POLICY, sample);

    assertThat(report.problems()).isEmpty();
    assertThat(report.maskedText()).isEqualTo("token [REDACTED:github-pat]");
    assertThat(report.maskedRows().get(0)).containsExactly("[REDACTED:ssn]", "Jane");
    assertThat(report.maskedRows().get(1)).containsExactly(null, "Joe");
    assertThat(report.manifest().maskedCount()).isEqualTo(2);
    assertThat(report.decision().verdict()).isEqualTo(Verdict.DENY);
    assertThat(report.statements()).hasSize(1);
  }

  @Test
  void dryRunOfAnInvalidPolicyReportsItsProblems() {
    PolicyTester.Report report =
        PolicyTester.test(
            "{\"schemaVersion\": 1, \"bogus\": 1}",
            new PolicyTester.Sample("x", null, null, null, null, false));

    assertThat(report.problems()).extracting(PolicyProblem::pointer).containsExactly("/bogus");
    assertThat(report.maskedText()).isNull();
  }
}
