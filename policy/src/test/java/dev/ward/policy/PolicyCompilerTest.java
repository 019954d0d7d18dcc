package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyCompilerTest {

  @Test
  void tenantRegexThatDoesNotCompileIsRejectedNamingTheRule() {
    String doc =
        """
        {"schemaVersion": 1, "masking": {"custom": [
          {"id": "ok-rule", "regex": "EMP-[0-9]{6}"},
          {"id": "acme-ticket", "regex": "(a+)+\\\\1"}
        ]}}
        """;

    assertThatThrownBy(() -> PolicyCompiler.compile(doc))
        .isInstanceOfSatisfying(
            PolicyValidationException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              PolicyProblem p = e.problems().getFirst();
              assertThat(p.pointer()).isEqualTo("/masking/custom/1/regex");
              assertThat(p.message()).contains("acme-ticket").contains("does not compile");
            });
  }

  @Test
  void unknownFieldIsRejectedWithItsLocationAndTheKnownFields() {
    List<PolicyProblem> problems =
        PolicyCompiler.validate(
            "{\"schemaVersion\": 1, \"masking\": {\"secrets\": {\"enabeld\": true}}}");

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().pointer()).isEqualTo("/masking/secrets/enabeld");
    assertThat(problems.getFirst().message())
        .contains("unknown field 'enabeld'")
        .contains("enabled");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String doc =
        """
        {"schemaVersion": 2,
         "masking": {"pii": {"email": {"strategy": "keep-last:99"}},
                     "jsonPaths": [{"path": "user.name"}]},
         "guardrails": {"sql": [
           {"id": "x", "operations": ["dorp"], "action": "deny"},
           {"id": "y", "action": "hold", "approval": "nobody"},
           {"id": "Bad Id", "action": "deny"}
         ]},
         "access": [{"id": "a", "groups": ["dev"], "connections": ["*"], "mode": "write"}],
         "recording": {"mode": "sometimes"}}
        """;

    List<PolicyProblem> problems = PolicyCompiler.validate(doc);

    assertThat(problems)
        .extracting(PolicyProblem::pointer)
        .containsExactlyInAnyOrder(
            "/schemaVersion",
            "/masking/pii/email/strategy",
            "/masking/jsonPaths/0/path",
            "/guardrails/sql/0/operations/0",
            "/guardrails/sql/1/approval",
            "/guardrails/sql/2/id",
            "/access/0/mode",
            "/recording/mode");
  }

  @Test
  void malformedJsonIsReportedWithItsPosition() {
    List<PolicyProblem> problems = PolicyCompiler.validate("{\"schemaVersion\": 1,,}");

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().message()).startsWith("not valid JSON").contains("line 1");
  }

  @Test
  void secretFamilyGlobThatMatchesNothingIsRejected() {
    List<PolicyProblem> problems =
        PolicyCompiler.validate(
            "{\"schemaVersion\": 1, \"masking\": {\"secrets\": {\"families\": [\"githbu-*\"]}}}");

    assertThat(problems)
        .extracting(PolicyProblem::pointer)
        .containsExactly("/masking/secrets/families/0");
  }

  @Test
  void familiesCanBeNarrowedAndExcluded() {
    CompiledPolicy policy =
        TestPolicies.compile(
            """
            {"schemaVersion": 1, "masking": {"secrets": {"families": ["github-*", "aws-*"],
             "exclude": ["github-app-token"]}}}
            """);

    assertThat(policy.masking().scanner().isEmpty()).isFalse();
    assertThat(policy.masker().maskText("ghs_" + Samples.alnum(36, 1)).changed()).isFalse();
    assertThat(policy.masker().maskText("ghp_" + Samples.alnum(36, 1)).changed()).isTrue();
    assertThat(policy.masker().maskText("npm_" + Samples.alnum(36, 2)).changed()).isFalse();
  }

  @Test
  void emptyDocumentDefaultsToBestEffortRecordingAndNoAccess() {
    CompiledPolicy policy = TestPolicies.compile("{\"schemaVersion\": 1}");

    assertThat(policy.recordingMode()).isEqualTo(RecordingMode.BEST_EFFORT);
    assertThat(policy.access().decide(java.util.Set.of("dev"), "c1", "prod").allowed()).isFalse();
    assertThat(policy.fingerprint()).hasSize(64);
  }

  @Test
  void llmPromptsAreMaskedByDefaultAndBlockedWhenThePolicySaysSo() {
    assertThat(TestPolicies.compile("{\"schemaVersion\": 1}").blocksSecretPrompts()).isFalse();
    assertThat(
            TestPolicies.compile("{\"schemaVersion\": 1, \"llm\": {\"prompts\": \"block\"}}")
                .blocksSecretPrompts())
        .isTrue();
    assertThat(PolicyCompiler.validate("{\"schemaVersion\": 1, \"llm\": {\"prompts\": \"drop\"}}"))
        .extracting(PolicyProblem::pointer)
        .containsExactly("/llm/prompts");
  }

  @Test
  void exampleInPolicyDocumentationCompiles() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("POLICY.md"));
    int section = doc.indexOf("## Example");
    int start = doc.indexOf("```json", section) + "```json".length();
    String example = doc.substring(start, doc.indexOf("```", start));

    assertThat(PolicyCompiler.validate(example)).isEmpty();
  }

  @Test
  void defaultPolicyMasksEverySecretFamilyAndIsValid() {
    assertThat(PolicyCompiler.validate(Policies.DEFAULT_POLICY_JSON)).isEmpty();

    CompiledPolicy policy = Policies.defaultPolicy();

    assertThat(policy.masking().scanner().detector(0)).isNotNull();
    assertThat(policy.masker().maskText("AKIA" + Samples.base32(16, 3)).changed()).isTrue();
    assertThat(policy.access().decide(java.util.Set.of(), "any", null).readOnly()).isFalse();
  }
}
