package dev.ward.agent.policy;

import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.access.AccessDecision;
import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.fields.ColumnInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One session's policy: the access decision taken when it opened (a refused session is turned away
 * before it reaches the upstream), SQL guardrails on every statement (read-only sessions refuse
 * every write), and masking of every result row.
 */
final class EnforcedSessionPolicy implements SessionPolicy {

  private final CompiledPolicy policy;
  private final StatementDecisions decisions;
  private final AccessDecision access;
  private final Masker masker;

  EnforcedSessionPolicy(
      CompiledPolicy policy, StatementDecisions decisions, AccessDecision access, Masker masker) {
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
      case HOLD -> Verdict.hold(ruleOr(d.ruleId(), "approval"), d.reason());
    };
  }

  @Override
  public RowRewriter results(List<ResultColumn> columns) {
    List<ColumnInfo> infos = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) {
      infos.add(new ColumnInfo("", "", c.name(), c.typeOid()));
    }
    return new ResultSetMasker(columns, masker.rows(infos));
  }

  private static String ruleOr(String rule, String fallback) {
    return rule == null || rule.isEmpty() ? fallback : rule;
  }
}
