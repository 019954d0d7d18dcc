package dev.ward.policy;

import dev.ward.policy.document.PolicyDocument;
import dev.ward.policy.guardrails.ApprovalRequirement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns a policy document (JSON text) into a {@link CompiledPolicy}, or reports every problem in
 * it. The control plane validates with it at save time; the agent compiles what it receives.
 */
public final class PolicyCompiler {
  /** The only schema version this engine reads. */
  public static final int SCHEMA_VERSION = 1;

  private PolicyCompiler() {}

  /**
   * Compiles a policy document.
   *
   * @throws PolicyValidationException listing every problem, each with a JSON pointer
   */
  public static CompiledPolicy compile(String json) throws PolicyValidationException {
    Problems problems = new Problems();
    CompiledPolicy policy = compile(json, problems);
    if (!problems.isEmpty()) {
      throw new PolicyValidationException(problems.list());
    }
    return policy;
  }

  /** The problems of a document; empty when it compiles. */
  public static List<PolicyProblem> validate(String json) {
    Problems problems = new Problems();
    compile(json, problems);
    return problems.list();
  }

  private static CompiledPolicy compile(String json, Problems problems) {
    PolicyDocument doc = DocumentReader.read(json, problems);
    if (doc == null) {
      return null;
    }
    if (doc.schemaVersion() == null) {
      problems.add(
          "/schemaVersion",
          "schemaVersion is required; this engine reads version " + SCHEMA_VERSION);
    } else if (doc.schemaVersion() != SCHEMA_VERSION) {
      problems.add(
          "/schemaVersion",
          "schemaVersion "
              + doc.schemaVersion()
              + " is not supported; this engine reads version "
              + SCHEMA_VERSION);
    }
    AccessCompiler accessCompiler = new AccessCompiler(problems);
    Map<String, ApprovalRequirement> approvals = accessCompiler.approvals(doc.approvals());
    GuardrailCompiler guardrails =
        new GuardrailCompiler(problems, new ActionCompiler(approvals, problems));
    PolicyDocument.Guardrails g = GuardrailCompiler.orEmpty(doc.guardrails());
    RecordingMode recording = recording(doc.recording(), problems);
    boolean blockSecretPrompts = blockSecretPrompts(doc.llm(), problems);
    CompiledPolicy policy =
        new CompiledPolicy(
            SCHEMA_VERSION,
            fingerprint(json),
            new MaskingCompiler(problems).compile(doc.masking()),
            guardrails.sql(g.sql()),
            guardrails.http(g.http()),
            guardrails.mcp(g.mcp()),
            guardrails.git(g.git()),
            accessCompiler.access(doc.access()),
            approvals,
            recording,
            blockSecretPrompts);
    return problems.isEmpty() ? policy : null;
  }

  private static RecordingMode recording(PolicyDocument.Recording recording, Problems problems) {
    if (recording == null || recording.mode() == null) {
      return RecordingMode.BEST_EFFORT;
    }
    return switch (recording.mode()) {
      case "strict" -> RecordingMode.STRICT;
      case "best-effort" -> RecordingMode.BEST_EFFORT;
      default -> {
        problems.add(
            "/recording/mode",
            "recording mode must be strict or best-effort, not '" + recording.mode() + "'");
        yield RecordingMode.BEST_EFFORT;
      }
    };
  }

  private static boolean blockSecretPrompts(PolicyDocument.Llm llm, Problems problems) {
    if (llm == null || llm.prompts() == null) {
      return false;
    }
    return switch (llm.prompts()) {
      case "block" -> true;
      case "mask" -> false;
      default -> {
        problems.add(
            "/llm/prompts", "llm prompts must be mask or block, not '" + llm.prompts() + "'");
        yield false;
      }
    };
  }

  private static String fingerprint(String json) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
