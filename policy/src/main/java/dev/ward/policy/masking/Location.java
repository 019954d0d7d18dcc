package dev.ward.policy.masking;

/** Where a masked value was, as the manifest reports it; never the value itself. */
public sealed interface Location {

  /** In free text, first occurrence at {@code offset} (UTF-16 index). */
  record Text(int offset) implements Location {}

  /** In a result row: the column's name and the row's index (from 0). */
  record Cell(String column, long row) implements Location {}

  /** In a JSON document, at this concrete path, e.g. {@code $.items[3].email}. */
  record JsonPath(String path) implements Location {}
}
