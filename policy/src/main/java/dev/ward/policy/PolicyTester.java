package dev.ward.policy;

import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.guardrails.sql.SqlAnalysis;
import dev.ward.policy.guardrails.sql.SqlClassifier;
import dev.ward.policy.guardrails.sql.SqlStatement;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingManifest;
import dev.ward.policy.masking.RowMasker;
import dev.ward.policy.masking.fields.ColumnInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Dry run of a policy document for the console's live tester: what it would mask in sample text,
 * JSON and rows, and what it would decide on a sample SQL statement. Nothing is enforced or
 * recorded; tokens use a throw-away key.
 */
public final class PolicyTester {
  private PolicyTester() {}

  /**
   * What to try a policy on; any part may be null.
   *
   * @param text free text, as in an HTTP or LLM response
   * @param json a JSON document
   * @param columns result columns (names and type OIDs) for {@code rows}
   * @param rows result rows, one text value (or null) per column
   * @param sql a simple-query string
   * @param readOnly whether to judge {@code sql} as on read-only access
   */
  public record Sample(
      String text,
      String json,
      List<ColumnInfo> columns,
      List<List<String>> rows,
      String sql,
      boolean readOnly) {}

  /**
   * The outcome of a dry run.
   *
   * @param problems the policy's problems; when not empty, nothing else is filled in
   * @param maskedText the masked text, or null
   * @param maskedJson the masked JSON, or null
   * @param maskedRows the masked rows (SQL NULL stays null), or null
   * @param manifest what was masked across text, JSON and rows
   * @param decision the decision on the SQL, or null
   * @param statements the SQL's statements as classified, or empty
   */
  public record Report(
      List<PolicyProblem> problems,
      String maskedText,
      String maskedJson,
      List<List<String>> maskedRows,
      MaskingManifest manifest,
      Decision decision,
      List<SqlStatement> statements) {}

  /** Tries {@code policyJson} on {@code sample}. */
  public static Report test(String policyJson, Sample sample) {
    CompiledPolicy policy;
    try {
      policy = PolicyCompiler.compile(policyJson);
    } catch (PolicyValidationException e) {
      return new Report(e.problems(), null, null, null, MaskingManifest.EMPTY, null, List.of());
    }
    Masker masker = policy.masker();
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    String text =
        sample.text() == null ? null : masker.maskText(sample.text(), manifest).toString();
    String json = sample.json() == null ? null : masker.maskJson(sample.json(), manifest);
    List<List<String>> rows = null;
    if (sample.rows() != null && sample.columns() != null) {
      RowMasker rowMasker = masker.rows(sample.columns());
      rows = new ArrayList<>();
      for (int r = 0; r < sample.rows().size(); r++) {
        String[] values = sample.rows().get(r).toArray(String[]::new);
        rows.add(
            Collections.unmodifiableList(Arrays.asList(rowMasker.maskRow(r, values, manifest))));
      }
    }
    Decision decision = null;
    List<SqlStatement> statements = List.of();
    if (sample.sql() != null) {
      SqlAnalysis analysis = SqlClassifier.classify(sample.sql());
      statements = analysis.statements();
      decision = policy.sqlGuardrails().evaluate(sample.sql(), sample.readOnly());
    }
    return new Report(List.of(), text, json, rows, manifest.build(), decision, statements);
  }
}
