package dev.ward.agent.protocol;

/**
 * One row of a result, decoded only when a {@link RowRewriter} asks for it. Values keep their wire
 * form (text or binary, see {@link ResultColumn#binary()}); setting a value replaces it, and the
 * listener re-encodes the row.
 */
public interface ResultRow {

  int size();

  boolean isNull(int column);

  /** The value as text in the client's encoding; null for SQL NULL. */
  String text(int column);

  /** The value's bytes as they are on the wire; null for SQL NULL. */
  byte[] bytes(int column);

  /** Replaces a value with text (for text-format columns). */
  void setText(int column, String value);

  /** Replaces a value with raw bytes in the column's wire format. */
  void setBytes(int column, byte[] value);

  void setNull(int column);
}
