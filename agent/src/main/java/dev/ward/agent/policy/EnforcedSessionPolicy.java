package dev.ward.agent.policy;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.protocol.ApprovalHold;
import dev.ward.agent.protocol.MaskingTally;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.access.AccessDecision;
import dev.ward.policy.guardrails.ApprovalRequirement;
import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.masking.Location;
import dev.ward.policy.masking.MaskedItem;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingManifest;
import dev.ward.policy.masking.fields.ColumnInfo;
import dev.ward.proto.recording.v1.SessionStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One session's policy: the access decision taken when it opened (a refused session is turned away
 * before it reaches the upstream), SQL guardrails on every statement (read-only sessions refuse
 * every write), holds for approval through the agent's {@link ApprovalDesk}, and masking of every
 * result row.
 */
final class EnforcedSessionPolicy implements SessionPolicy {

  // Methods that read only, for read-only access over HTTP (RFC 9110 safe methods).
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final CompiledPolicy policy;
  private final StatementDecisions decisions;
  private final AccessDecision access;
  private final Masker masker;
  private final SessionStart start;
  private final ApprovalDesk desk;

  EnforcedSessionPolicy(
      CompiledPolicy policy,
      StatementDecisions decisions,
      AccessDecision access,
      Masker masker,
      SessionStart start,
      ApprovalDesk desk) {
    this.start = start;
    this.desk = desk;
    this.decisions = decisions;
    this.policy = policy;
    this.access = access;
    this.masker = masker;
  }

  @Override
  public Optional<String> refusal() {
    if (access.allowed()) {
      return Optional.empty();
    }
    String reason = access.reason();
    return Optional.of(
        reason == null || reason.isBlank() ? "no access rule of its policy grants it" : reason);
  }

  @Override
  public Verdict inspect(Operation operation) {
    // listeners refuse such sessions at login; this keeps a listener that does not ask safe
    if (!access.allowed()) {
      return Verdict.deny(ruleOr(access.ruleId(), "access"), access.reason());
    }
    if (operation.mode().equals("function-call")) {
      return access.readOnly()
          ? Verdict.deny("read-only-access", "This session is read-only; function calls may write.")
          : Verdict.allow();
    }
    Decision d = decisions.evaluate(operation.text(), access.readOnly());
    return switch (d.verdict()) {
      case ALLOW -> Verdict.allow();
      case DENY -> Verdict.deny(ruleOr(d.ruleId(), "guardrail"), d.reason());
      case HOLD -> Verdict.hold(ruleOr(d.ruleId(), "approval"), d.reason(), d.approval());
    };
  }

  @Override
  public ApprovalHold hold(Operation operation, Verdict verdict) {
    if (desk == null || verdict.action() != Verdict.Action.HOLD || !access.allowed()) {
      return null;
    }
    // every hold this policy decides carries its approval route (a hold Decision always has one)
    ApprovalRequirement route = verdict.approval();
    if (route == null) {
      return null;
    }
    return desk.request(start, operation, verdict.rule(), verdict.reason(), route);
  }

  @Override
  public RowRewriter results(List<ResultColumn> columns) {
    List<ColumnInfo> infos = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) {
      infos.add(columnInfo(c));
    }
    return new ResultSetMasker(columns, masker.rows(infos));
  }

  @Override
  public boolean needsTableNames() {
    return masker.needsTableNames();
  }

  /** A result column as masking rules see it: with its table and real name when resolved. */
  static ColumnInfo columnInfo(ResultColumn c) {
    ResultColumn.Source source = c.source();
    if (source == null) {
      return ColumnInfo.of(c.name(), c.typeOid());
    }
    if (!source.resolved()) {
      return ColumnInfo.ofUnresolvedTable(c.name(), c.typeOid());
    }
    String real = source.column();
    return new ColumnInfo(
        source.schema(),
        source.table(),
        c.name(),
        c.typeOid(),
        real == null || real.equals(c.name()) ? null : real,
        false);
  }

  @Override
  public Verdict inspectRequest(String method, String path) {
    if (!access.allowed()) {
      return Verdict.deny(ruleOr(access.ruleId(), "access"), access.reason());
    }
    if (access.readOnly() && !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      return Verdict.deny(
          "read-only-access", "This session is read-only; " + method + " requests may write.");
    }
    return verdict(policy.http().evaluate(method, path));
  }

  @Override
  public Verdict inspectToolCall(String tool, String argumentsJson) {
    return verdict(policy.mcp().evaluate(tool, argumentsJson));
  }

  @Override
  public Verdict inspectRefUpdate(String ref, String oldId, String newId, boolean force) {
    if (access.readOnly()) {
      return Verdict.deny("read-only-access", "This session is read-only; pushes write.");
    }
    return verdict(policy.git().evaluate(ref, oldId, newId, force));
  }

  @Override
  public boolean blocksSecretPrompts() {
    return policy.blocksSecretPrompts();
  }

  @Override
  public String maskBody(String text, boolean json, MaskingTally tally) {
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    String out =
        json ? masker.maskJson(text, manifest) : masker.maskText(text, manifest).toString();
    if (!manifest.isEmpty()) {
      for (MaskedItem item : manifest.build().items()) {
        tally.add(item.ruleId(), locationOf(item.location()), item.strategy(), item.count());
      }
    }
    return out;
  }

  private static String locationOf(Location location) {
    return switch (location) {
      case Location.JsonPath p -> p.path();
      case Location.Cell c -> c.column();
      case Location.Text t -> "text";
    };
  }

  private static Verdict verdict(Decision d) {
    return switch (d.verdict()) {
      case ALLOW -> Verdict.allow();
      case DENY -> Verdict.deny(ruleOr(d.ruleId(), "guardrail"), reasonOr(d.reason()));
      case HOLD -> Verdict.hold(ruleOr(d.ruleId(), "approval"), reasonOr(d.reason()), d.approval());
    };
  }

  private static String reasonOr(String reason) {
    return reason == null || reason.isBlank()
        ? "The connection's policy does not allow it."
        : reason;
  }

  private static String ruleOr(String rule, String fallback) {
    return rule == null || rule.isEmpty() ? fallback : rule;
  }
}
