package dev.ward.policy.document;

import java.util.List;

/**
 * The policy document as stored by the control plane and pushed to agents: the JSON schema in Java.
 * Absent fields are {@code null} here; {@code PolicyCompiler} applies the defaults that {@code
 * POLICY.md} documents. Unknown fields are rejected when parsing.
 */
public record PolicyDocument(
    Integer schemaVersion,
    Masking masking,
    Guardrails guardrails,
    List<AccessEntry> access,
    List<ApprovalEntry> approvals,
    Recording recording,
    Llm llm) {

  /** What is masked and how. */
  public record Masking(
      Secrets secrets,
      Pii pii,
      List<FieldEntry> fields,
      List<JsonPathEntry> jsonPaths,
      List<CustomEntry> custom) {}

  /** Built-in secret families. */
  public record Secrets(
      Boolean enabled,
      List<String> families,
      List<String> exclude,
      String strategy,
      Generic generic) {}

  /** Generic {@code password=} / {@code secret:} assignments, gated by entropy. */
  public record Generic(Boolean enabled, Double minEntropy) {}

  /** Personal data detectors, each off unless listed. */
  public record Pii(
      PiiEntry email,
      PiiEntry phone,
      PiiEntry creditCard,
      PiiEntry iban,
      PiiEntry ssn,
      PiiEntry ipv4,
      PiiEntry ipv6) {}

  /** One personal data detector: on when listed unless {@code enabled} is false. */
  public record PiiEntry(Boolean enabled, String strategy) {}

  /** Masks whole cells of columns chosen by name glob, name expression and/or type OID. */
  public record FieldEntry(
      String id, String match, String regex, List<Integer> typeOids, String strategy) {}

  /** Masks the JSON values a path selects. */
  public record JsonPathEntry(String id, String path, String strategy) {}

  /** A tenant-defined content detector (RE2 syntax). */
  public record CustomEntry(
      String id,
      String regex,
      List<String> keywords,
      Integer group,
      Boolean caseInsensitive,
      String strategy) {}

  /** Rules on operations, per protocol. */
  public record Guardrails(
      List<SqlEntry> sql, List<HttpEntry> http, List<McpEntry> mcp, List<GitEntry> git) {}

  /** A SQL rule: conditions, then action. */
  public record SqlEntry(
      String id,
      List<String> operations,
      List<String> classes,
      Boolean withoutWhere,
      List<String> tables,
      List<String> schemas,
      String access,
      Boolean stacked,
      String action,
      String reason,
      String approval) {}

  /** An HTTP rule. */
  public record HttpEntry(
      String id,
      List<String> methods,
      List<String> paths,
      String action,
      String reason,
      String approval) {}

  /** An MCP tool-call rule. */
  public record McpEntry(
      String id,
      List<String> tools,
      List<ArgumentEntry> arguments,
      String action,
      String reason,
      String approval) {}

  /** A condition on an MCP call's arguments. */
  public record ArgumentEntry(String path, String glob, String regex) {}

  /** A Git push rule. */
  public record GitEntry(
      String id,
      List<String> refs,
      Boolean forcePush,
      Boolean deletion,
      Boolean creation,
      String action,
      String reason,
      String approval) {}

  /** Grants groups the use of connections. */
  public record AccessEntry(
      String id, List<String> groups, List<String> connections, String mode) {}

  /** An approval route that hold rules refer to. */
  public record ApprovalEntry(
      String id,
      List<String> approverGroups,
      Integer minApprovals,
      String timeout,
      Boolean selfApproval,
      String maxTimeBox) {}

  /** How sessions are recorded. */
  public record Recording(String mode) {}

  /** What LLM connections do with prompts that carry secrets: {@code mask} or {@code block}. */
  public record Llm(String prompts) {}
}
