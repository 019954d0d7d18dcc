package dev.ward.policy.masking;

import dev.ward.policy.masking.fields.ColumnRule;
import dev.ward.policy.masking.fields.JsonPathRule;
import dev.ward.policy.masking.secrets.GenericSecretDetector;
import java.util.List;

/**
 * The compiled masking part of a policy: content detectors with their strategies, column rules and
 * JSON path rules. Immutable and shared; {@link #masker(MaskingKey)} binds it to a token key.
 *
 * @param scanner content detectors
 * @param strategies strategy of each detector, by the detector's index in {@code scanner}
 * @param columnRules column rules, first match wins
 * @param jsonPathRules JSON path rules, first match wins
 * @param secretNames detector of secret values under secret-sounding JSON keys, or {@code null}
 * @param secretNameStrategy strategy for those values
 */
public record MaskingRules(
    TextScanner scanner,
    List<MaskingStrategy> strategies,
    List<ColumnRule> columnRules,
    List<JsonPathRule> jsonPathRules,
    GenericSecretDetector secretNames,
    MaskingStrategy secretNameStrategy) {

  public MaskingRules {
    strategies = List.copyOf(strategies);
    columnRules = List.copyOf(columnRules);
    jsonPathRules = List.copyOf(jsonPathRules);
  }

  /** Whether a column rule matches on the schema or table a column comes from. */
  public boolean needsTableNames() {
    return columnRules.stream().anyMatch(ColumnRule::needsTableNames);
  }

  /** A masker that renders deterministic tokens with {@code key}. */
  public Masker masker(MaskingKey key) {
    return new Masker(this, key);
  }
}
