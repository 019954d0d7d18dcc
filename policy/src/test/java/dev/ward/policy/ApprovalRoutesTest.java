package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.guardrails.ApprovalRequirement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalRoutesTest {

  @Test
  void routeCarriesGroupsMinimumTimeoutSelfApprovalAndTimeBox() throws Exception {
    CompiledPolicy policy =
        PolicyCompiler.compile(
            """
            {"schemaVersion": 1,
             "approvals": [
               {"id": "dba", "approverGroups": ["dba", "sre"], "minApprovals": 2,
                "timeout": "PT30M", "selfApproval": true, "maxTimeBox": "PT2H"},
               {"id": "plain", "approverGroups": ["dba"]}
             ]}
            """);

    ApprovalRequirement dba = policy.approvals().get("dba");
    assertThat(dba.approverGroups()).containsExactly("dba", "sre");
    assertThat(dba.minApprovals()).isEqualTo(2);
    assertThat(dba.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(dba.selfApproval()).isTrue();
    assertThat(dba.maxTimeBox()).isEqualTo(Duration.ofHours(2));

    ApprovalRequirement plain = policy.approvals().get("plain");
    assertThat(plain.minApprovals()).isEqualTo(1);
    assertThat(plain.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(plain.selfApproval()).isFalse();
    assertThat(plain.maxTimeBox()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void malformedRoutesAreRejectedWithPointers() {
    List<PolicyProblem> problems =
        PolicyCompiler.validate(
            """
            {"schemaVersion": 1,
             "approvals": [
               {"id": "a", "approverGroups": ["dba"], "maxTimeBox": "P2D"},
               {"id": "b", "approverGroups": ["dba"], "maxTimeBox": "soon"},
               {"id": "c", "approverGroups": [""]},
               {"id": "d", "approverGroups": ["dba"], "minApprovals": 0}
             ]}
            """);

    assertThat(problems)
        .extracting(PolicyProblem::pointer)
        .contains(
            "/approvals/0/maxTimeBox",
            "/approvals/1/maxTimeBox",
            "/approvals/2/approverGroups",
            "/approvals/3/minApprovals");
    assertThat(
            PolicyCompiler.validate(
                "{\"schemaVersion\": 1, \"approvals\": [{\"id\": \"e\", \"approverGroups\":"
                    + " [\"dba\"], \"selfApproval\": \"yes\"}]}"))
        .extracting(PolicyProblem::pointer)
        .containsExactly("/approvals/0/selfApproval");
  }
}
