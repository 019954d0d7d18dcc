package dev.ward.agent.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up masked cells per rule, column and strategy, in the order they were first masked. The
 * tally is bounded: once it holds {@link #MAX_ENTRIES} entries, cells of further columns are
 * counted under the column {@link #OTHER_COLUMNS}, so a wide or long result cannot grow a manifest
 * without bound. Not thread-safe.
 */
public final class MaskingTally {

  /** Distinct rule, column and strategy entries kept before columns are lumped together. */
  public static final int MAX_ENTRIES = 64;

  /** The column name under which cells past the bound are counted. */
  public static final String OTHER_COLUMNS = "*";

  private record Key(String rule, String column, String strategy) {}

  private final Map<Key, int[]> counts = new LinkedHashMap<>();

  /** Counts {@code count} masked cells. */
  public void add(String rule, String column, String strategy, int count) {
    Key key = new Key(rule, column, strategy);
    int[] total = counts.get(key);
    if (total == null && counts.size() >= MAX_ENTRIES) {
      key = new Key(rule, OTHER_COLUMNS, strategy);
      total = counts.get(key);
    }
    if (total == null) {
      total = new int[1];
      counts.put(key, total);
    }
    total[0] = (int) Math.min(Integer.MAX_VALUE, (long) total[0] + count);
  }

  /** Counts every entry of another tally or rewriter. */
  public void addAll(List<MaskedCells> cells) {
    for (MaskedCells c : cells) {
      add(c.rule(), c.column(), c.strategy(), c.count());
    }
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** The entries so far. */
  public List<MaskedCells> entries() {
    List<MaskedCells> out = new ArrayList<>(counts.size());
    counts.forEach((k, n) -> out.add(new MaskedCells(k.rule(), k.column(), k.strategy(), n[0])));
    return out;
  }
}
