package dev.ward.agent.protocol;

import java.util.List;

/** Rewrites the rows of one result set, e.g. to mask values; see {@link SessionPolicy#results}. */
@FunctionalInterface
public interface RowRewriter {

  /**
   * Rewrites values of one row in place.
   *
   * @return how many values were changed, counted as masked in the session's record
   */
  int rewrite(ResultRow row);

  /**
   * What this rewriter masked in the rows it has seen so far, per rule, column and strategy,
   * bounded as a {@link MaskingTally} is. The listener records it as the masking manifest of the
   * statement the result belongs to; it must never hold a value.
   */
  default List<MaskedCells> masked() {
    return List.of();
  }
}
