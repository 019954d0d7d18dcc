package dev.ward.agent.policy;

import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.ResultRow;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.access.AccessDecision;
import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingManifest;
import dev.ward.policy.masking.RowMasker;
import dev.ward.policy.masking.fields.ColumnInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One session's policy: the access decision taken when it opened, SQL guardrails on every statement
 * (read-only sessions refuse every write), and masking of every result row.
 */
final class EnforcedSessionPolicy implements SessionPolicy {

  /** Types whose binary wire form is their UTF-8 text, so masking can read and rewrite them. */
  private static final Set<Integer> TEXT_LIKE = Set.of(25, 1043, 1042, 19, 114, 142, 705);

  /** jsonb: in binary form a version byte (1) precedes the UTF-8 text. */
  private static final int JSONB = 3802;

  private final CompiledPolicy policy;
  private final AccessDecision access;
  private final Masker masker;

  EnforcedSessionPolicy(CompiledPolicy policy, AccessDecision access, Masker masker) {
    this.policy = policy;
    this.access = access;
    this.masker = masker;
  }

  @Override
  public Verdict inspect(Operation operation) {
    if (!access.allowed()) {
      return Verdict.deny(ruleOr(access.ruleId(), "access"), access.reason());
    }
    if (operation.mode().equals("function-call")) {
      return access.readOnly()
          ? Verdict.deny("read-only-access", "This session is read-only; function calls may write.")
          : Verdict.allow();
    }
    Decision d = policy.sqlGuardrails().evaluate(operation.text(), access.readOnly());
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
    RowMasker rows = masker.rows(infos);
    boolean[] readable = new boolean[columns.size()];
    for (int i = 0; i < readable.length; i++) {
      int oid = columns.get(i).typeOid();
      readable[i] = !columns.get(i).binary() || TEXT_LIKE.contains(oid) || oid == JSONB;
    }
    long[] rowIndex = {0};
    return row -> {
      String[] values = new String[row.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = readable[i] && !row.isNull(i) ? read(row, i, columns.get(i)) : null;
      }
      MaskingManifest.Builder manifest = MaskingManifest.builder();
      String[] masked = rows.maskRow(rowIndex[0]++, values, manifest);
      if (masked == values) {
        return 0;
      }
      int changed = 0;
      for (int i = 0; i < values.length; i++) {
        if (masked[i] != values[i]) {
          if (columns.get(i).binary()) {
            row.setBytes(i, binary(masked[i], columns.get(i)));
          } else {
            row.setText(i, masked[i]);
          }
          changed++;
        }
      }
      return changed;
    };
  }

  private static String read(ResultRow row, int i, ResultColumn column) {
    if (!column.binary()) {
      return row.text(i);
    }
    byte[] bytes = row.bytes(i);
    int skip = column.typeOid() == JSONB && bytes.length > 0 ? 1 : 0;
    return new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
  }

  private static byte[] binary(String text, ResultColumn column) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (column.typeOid() != JSONB) {
      return utf8;
    }
    byte[] withVersion = new byte[utf8.length + 1];
    withVersion[0] = 1;
    System.arraycopy(utf8, 0, withVersion, 1, utf8.length);
    return withVersion;
  }

  private static String ruleOr(String rule, String fallback) {
    return rule == null || rule.isEmpty() ? fallback : rule;
  }
}
