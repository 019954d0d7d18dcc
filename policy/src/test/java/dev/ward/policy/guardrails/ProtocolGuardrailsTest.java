package dev.ward.policy.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.TestPolicies;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP, MCP and Git guardrails through a compiled policy. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolGuardrailsTest {
  private static final String ZERO = "0".repeat(40);
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);

  private static final CompiledPolicy POLICY =
      TestPolicies.compile(
          """
          {"schemaVersion": 1,
           "guardrails": {
             "http": [
               {"id": "admin-writes", "methods": ["POST", "PUT", "DELETE"], "paths": ["/admin/**"],
                "action": "hold", "approval": "ops"},
               {"id": "no-admin", "paths": ["/admin/**"], "action": "deny",
                "reason": "The admin API is off limits."}
             ],
             "mcp": [
               {"id": "no-rm", "tools": ["shell*"], "arguments": [{"path": "$.command", "regex": "\\\\brm\\\\s+-rf\\\\b"}],
                "action": "deny"},
               {"id": "prod-queries", "tools": ["query"], "arguments": [{"path": "$..database", "glob": "prod*"}],
                "action": "hold", "approval": "ops"}
             ],
             "git": [
               {"id": "no-force-main", "refs": ["refs/heads/main"], "forcePush": true, "action": "deny"},
               {"id": "no-delete-release", "refs": ["refs/heads/release/**"], "deletion": true, "action": "deny"},
               {"id": "tags-held", "refs": ["refs/tags/*"], "creation": true, "action": "hold", "approval": "ops"}
             ]},
           "approvals": [{"id": "ops", "approverGroups": ["sre"]}]}
          """);

  @Test
  void adminPathIsDeniedWhateverTheEncoding() {
    for (String path :
        new String[] {
          "/admin/users", "//admin/users", "/x/../admin", "/%61dmin/x", "/./admin?x=1"
        }) {
      assertThat(POLICY.http().evaluate("GET", path).ruleId()).as(path).isEqualTo("no-admin");
    }
    assertThat(POLICY.http().evaluate("GET", "/administrator").allowed()).isTrue();
  }

  @Test
  void adminWritesAreHeldWithTheApprovalRoute() {
    Decision d = POLICY.http().evaluate("post", "/admin/users");

    assertThat(d.verdict()).isEqualTo(Verdict.HOLD);
    assertThat(d.approval().id()).isEqualTo("ops");
    assertThat(d.approval().minApprovals()).isEqualTo(1);
  }

  @Test
  void mcpToolCallIsJudgedOnToolAndArguments() {
    assertThat(POLICY.mcp().evaluate("shell", "{\"command\": \"rm -rf /\"}").ruleId())
        .isEqualTo("no-rm");
    assertThat(POLICY.mcp().evaluate("shell", "{\"command\": \"ls -la\"}").allowed()).isTrue();
    assertThat(POLICY.mcp().evaluate("query", "{\"opts\": {\"database\": \"prod-eu\"}}").verdict())
        .isEqualTo(Verdict.HOLD);
    assertThat(POLICY.mcp().evaluate("query", "{\"opts\": {\"database\": \"staging\"}}").allowed())
        .isTrue();
  }

  @Test
  void malformedMcpArgumentsCanNotSlipPastArgumentRules() {
    assertThat(POLICY.mcp().evaluate("shell", "{not json").ruleId()).isEqualTo("no-rm");
  }

  @Test
  void gitPushesAreJudgedOnRefAndKindOfUpdate() {
    assertThat(POLICY.git().evaluate("refs/heads/main", A, B, true).ruleId())
        .isEqualTo("no-force-main");
    assertThat(POLICY.git().evaluate("refs/heads/main", A, B, false).allowed()).isTrue();
    assertThat(POLICY.git().evaluate("refs/heads/release/1.2", A, ZERO, false).ruleId())
        .isEqualTo("no-delete-release");
    assertThat(POLICY.git().evaluate("refs/tags/v1.0", ZERO, B, false).verdict())
        .isEqualTo(Verdict.HOLD);
    assertThat(POLICY.git().evaluate("refs/heads/feature/x", A, B, true).allowed()).isTrue();
  }
}
