package dev.ward.agent.policy;

import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.MaskingTally;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.ResultRow;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.policy.masking.Location;
import dev.ward.policy.masking.MaskedItem;
import dev.ward.policy.masking.MaskingManifest;
import dev.ward.policy.masking.RowMasker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Masks the rows of one result set with the policy engine's {@link RowMasker} and tallies what it
 * masked per rule, column and strategy for the statement's masking manifest. Binary values are read
 * only for types whose binary form is text; other binary values pass unmasked.
 */
final class ResultSetMasker implements RowRewriter {

  /** Types whose binary wire form is their UTF-8 text, so masking can read and rewrite them. */
  private static final Set<Integer> TEXT_LIKE = Set.of(25, 1043, 1042, 19, 114, 142, 705);

  /** jsonb: in binary form a version byte (1) precedes the UTF-8 text. */
  private static final int JSONB = 3802;

  private final List<ResultColumn> columns;
  private final RowMasker rows;
  private final boolean[] readable;
  private final MaskingTally tally = new MaskingTally();
  private long rowIndex;

  ResultSetMasker(List<ResultColumn> columns, RowMasker rows) {
    this.columns = List.copyOf(columns);
    this.rows = rows;
    this.readable = new boolean[columns.size()];
    for (int i = 0; i < readable.length; i++) {
      int oid = columns.get(i).typeOid();
      readable[i] = !columns.get(i).binary() || TEXT_LIKE.contains(oid) || oid == JSONB;
    }
  }

  @Override
  public int rewrite(ResultRow row) {
    String[] values = new String[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = readable[i] && !row.isNull(i) ? read(row, i, columns.get(i)) : null;
    }
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    String[] masked = rows.maskRow(rowIndex++, values, manifest);
    if (masked == values) {
      return 0;
    }
    for (MaskedItem item : manifest.build().items()) {
      String column = item.location() instanceof Location.Cell cell ? cell.column() : "text";
      tally.add(item.ruleId(), column, item.strategy(), item.count());
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
  }

  @Override
  public List<MaskedCells> masked() {
    return tally.entries();
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
}
