package dev.ward.policy;

import dev.ward.policy.access.AccessRules;
import dev.ward.policy.guardrails.ApprovalRequirement;
import dev.ward.policy.guardrails.git.GitGuardrails;
import dev.ward.policy.guardrails.http.HttpGuardrails;
import dev.ward.policy.guardrails.mcp.McpGuardrails;
import dev.ward.policy.guardrails.sql.SqlGuardrails;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingKey;
import dev.ward.policy.masking.MaskingRules;
import java.util.Map;

/**
 * A policy ready to enforce: the one seam between the data plane and the policy engine. Immutable
 * and thread-safe; compile once per policy version and share.
 */
public final class CompiledPolicy {
  private final int schemaVersion;
  private final String fingerprint;
  private final MaskingRules masking;
  private final SqlGuardrails sql;
  private final HttpGuardrails http;
  private final McpGuardrails mcp;
  private final GitGuardrails git;
  private final AccessRules access;
  private final Map<String, ApprovalRequirement> approvals;
  private final RecordingMode recordingMode;
  private final boolean blockSecretPrompts;

  CompiledPolicy(
      int schemaVersion,
      String fingerprint,
      MaskingRules masking,
      SqlGuardrails sql,
      HttpGuardrails http,
      McpGuardrails mcp,
      GitGuardrails git,
      AccessRules access,
      Map<String, ApprovalRequirement> approvals,
      RecordingMode recordingMode,
      boolean blockSecretPrompts) {
    this.schemaVersion = schemaVersion;
    this.fingerprint = fingerprint;
    this.masking = masking;
    this.sql = sql;
    this.http = http;
    this.mcp = mcp;
    this.git = git;
    this.access = access;
    this.approvals = Map.copyOf(approvals);
    this.recordingMode = recordingMode;
    this.blockSecretPrompts = blockSecretPrompts;
  }

  /** The document's schema version. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** SHA-256 (hex) of the document text, to name the exact policy a session ran under. */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * A masker for one work session; deterministic tokens are keyed with {@code key} (see {@link
   * MaskingKey#derive}).
   */
  public Masker masker(MaskingKey key) {
    return masking.masker(key);
  }

  /** A masker with a key of its own (for dry runs: tokens are consistent only within it). */
  public Masker masker() {
    return masking.masker(MaskingKey.random());
  }

  /** The compiled masking rules. */
  public MaskingRules masking() {
    return masking;
  }

  /** SQL guardrails: {@code evaluate(sql)} and {@code evaluate(sql, readOnly)}. */
  public SqlGuardrails sqlGuardrails() {
    return sql;
  }

  /** HTTP guardrails: {@code evaluate(method, path)}. */
  public HttpGuardrails http() {
    return http;
  }

  /** MCP guardrails: {@code evaluate(tool, argumentsJson)}. */
  public McpGuardrails mcp() {
    return mcp;
  }

  /** Git push guardrails: {@code evaluate(ref, oldId, newId, force)}. */
  public GitGuardrails git() {
    return git;
  }

  /** Access rules: {@code decide(groups, connectionId, connectionName)}. */
  public AccessRules access() {
    return access;
  }

  /** Approval routes by id. */
  public Map<String, ApprovalRequirement> approvals() {
    return approvals;
  }

  /** How sessions under this policy are recorded. */
  public RecordingMode recordingMode() {
    return recordingMode;
  }

  /**
   * Whether an LLM request whose prompt carries a secret is refused ({@code llm.prompts: block})
   * rather than sent on with the secret masked (the default).
   */
  public boolean blocksSecretPrompts() {
    return blockSecretPrompts;
  }
}
