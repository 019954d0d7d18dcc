package dev.ward.agent.protocol;

/** Rewrites the rows of one result set, e.g. to mask values; see {@link SessionPolicy#results}. */
@FunctionalInterface
public interface RowRewriter {

  /**
   * Rewrites values of one row in place.
   *
   * @return how many values were changed, counted as masked in the session's record
   */
  int rewrite(ResultRow row);
}
