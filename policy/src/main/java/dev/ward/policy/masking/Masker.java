package dev.ward.policy.masking;

import dev.ward.policy.masking.fields.ColumnInfo;
import java.util.List;

/**
 * Masks what flows back to a client: free text, JSON documents and result rows. Thread-safe. On the
 * hot path, text in which no keyword occurs and to which no field rule applies is returned as the
 * same instance, without allocating.
 */
public final class Masker {
  private final MaskingRules rules;
  private final MaskingKey key;
  private final JsonMasker json;

  Masker(MaskingRules rules, MaskingKey key) {
    this.rules = rules;
    this.key = key;
    this.json = new JsonMasker(this, rules);
  }

  /** Masks free text and reports what was masked. */
  public MaskResult maskText(CharSequence text) {
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    CharSequence out = maskText(text, manifest);
    return new MaskResult(out, manifest.build());
  }

  /**
   * Masks free text, adding to {@code manifest}.
   *
   * @return the masked text, or {@code text} itself when nothing was masked
   */
  public CharSequence maskText(CharSequence text, MaskingManifest.Builder manifest) {
    return mask(text, manifest, null);
  }

  /** Masks a JSON document: path rules, secret-named keys, then the content of every string. */
  public MaskResult maskJson(String document) {
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    String out = maskJson(document, manifest);
    return new MaskResult(out, manifest.build());
  }

  /**
   * Masks a JSON document, adding to {@code manifest}. A document that does not parse is masked as
   * free text, so malformed input never bypasses masking.
   *
   * @return the masked document, or {@code document} itself when nothing was masked
   */
  public String maskJson(String document, MaskingManifest.Builder manifest) {
    return json.mask(document, manifest, null);
  }

  /** Whether result columns should come with the schema and table they are from (see rows). */
  public boolean needsTableNames() {
    return rules.needsTableNames();
  }

  /** A row masker for a result set with these columns. */
  public RowMasker rows(List<ColumnInfo> columns) {
    return new RowMasker(this, rules, columns);
  }

  MaskingKey key() {
    return key;
  }

  JsonMasker json() {
    return json;
  }

  /**
   * Masks the content of {@code text}; findings are located at {@code place}, or at their offset
   * when {@code place} is null.
   */
  CharSequence mask(CharSequence text, MaskingManifest.Builder manifest, Location place) {
    TextScanner.Spans spans = rules.scanner().scan(text);
    return spans == null ? text : replace(text, spans, manifest, place);
  }

  /** Masks the content of one result cell; the location is built only when something is found. */
  String maskCell(String value, MaskingManifest.Builder manifest, String column, long row) {
    TextScanner.Spans spans = rules.scanner().scan(value);
    return spans == null
        ? value
        : replace(value, spans, manifest, new Location.Cell(column, row)).toString();
  }

  private CharSequence replace(
      CharSequence text,
      TextScanner.Spans spans,
      MaskingManifest.Builder manifest,
      Location place) {
    StringBuilder out = new StringBuilder(text.length() + 16 * spans.size());
    int last = 0;
    for (int s = 0; s < spans.size(); s++) {
      int start = spans.starts()[s];
      int end = spans.ends()[s];
      int d = spans.detectors()[s];
      String ruleId = rules.scanner().detector(d).ruleId();
      MaskingStrategy strategy = rules.strategies().get(d);
      out.append(text, last, start);
      out.append(strategy.apply(ruleId, text.subSequence(start, end), key));
      manifest.add(ruleId, place != null ? place : new Location.Text(start), strategy.label());
      last = end;
    }
    out.append(text, last, text.length());
    return out.toString();
  }
}
