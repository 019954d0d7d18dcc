package dev.ward.policy.masking;

import dev.ward.policy.masking.fields.ColumnInfo;
import dev.ward.policy.masking.fields.ColumnRule;
import java.util.List;

/**
 * Masks the rows of one result set. Column rules are resolved once, when the columns are known;
 * each cell is then masked whole by its column rule, as JSON (json and jsonb columns), or by
 * content detection.
 */
public final class RowMasker {
  /** PostgreSQL type OIDs of json and jsonb. */
  private static final int JSON_OID = 114;

  private static final int JSONB_OID = 3802;

  private final Masker masker;
  private final List<ColumnInfo> columns;
  private final ColumnRule[] columnRules;

  RowMasker(Masker masker, MaskingRules rules, List<ColumnInfo> columns) {
    this.masker = masker;
    this.columns = List.copyOf(columns);
    this.columnRules = new ColumnRule[this.columns.size()];
    for (int c = 0; c < this.columns.size(); c++) {
      for (ColumnRule rule : rules.columnRules()) {
        if (rule.matches(this.columns.get(c))) {
          columnRules[c] = rule;
          break;
        }
      }
    }
  }

  /** The rule that masks column {@code index} whole, or {@code null}. */
  public ColumnRule ruleFor(int index) {
    return columnRules[index];
  }

  /**
   * Masks one row of text values ({@code null} for SQL NULL, which stays NULL).
   *
   * @param rowIndex index of the row in the result set, for the manifest
   * @return the masked row, or {@code values} itself when nothing was masked
   */
  public String[] maskRow(long rowIndex, String[] values, MaskingManifest.Builder manifest) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values for " + columns.size() + " columns");
    }
    String[] out = values;
    for (int c = 0; c < values.length; c++) {
      String value = values[c];
      if (value == null) {
        continue;
      }
      String masked = maskCell(c, rowIndex, value, manifest);
      if (masked != value) {
        if (out == values) {
          out = values.clone();
        }
        out[c] = masked;
      }
    }
    return out;
  }

  private String maskCell(int c, long rowIndex, String value, MaskingManifest.Builder manifest) {
    ColumnInfo column = columns.get(c);
    ColumnRule rule = columnRules[c];
    if (rule != null) {
      Location place = new Location.Cell(column.name(), rowIndex);
      MaskingStrategy strategy = rule.strategy();
      manifest.add(rule.ruleId(), place, strategy.label());
      return strategy.apply(rule.ruleId(), value, masker.key());
    }
    if (column.typeOid() == JSON_OID || column.typeOid() == JSONB_OID) {
      return masker.json().mask(value, manifest, new Location.Cell(column.name(), rowIndex));
    }
    return masker.maskCell(value, manifest, column.name(), rowIndex);
  }
}
