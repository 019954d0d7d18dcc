package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ResultRow;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;

/**
 * A DataRow decoded for policy to read and rewrite; {@link #encode()} writes it back with the
 * lengths recomputed. NULLs stay NULLs unless policy sets a value.
 */
final class DataRowValues implements ResultRow {

  private final byte[][] values;
  private final Charset charset;
  private boolean changed;

  private DataRowValues(byte[][] values, Charset charset) {
    this.values = values;
    this.charset = charset;
  }

  static DataRowValues decode(Buffer message, Charset charset) {
    Wire.require(message, 5, 2);
    int count = message.getUnsignedShort(5);
    byte[][] values = new byte[count][];
    int pos = 7;
    for (int i = 0; i < count; i++) {
      Wire.require(message, pos, 4);
      int length = message.getInt(pos);
      pos += 4;
      if (length >= 0) {
        Wire.require(message, pos, length);
        values[i] = message.getBytes(pos, pos + length);
        pos += length;
      } else if (length != -1) {
        throw new ProtocolViolation("invalid value length in DataRow");
      }
    }
    return new DataRowValues(values, charset);
  }

  boolean changed() {
    return changed;
  }

  Buffer encode() {
    int size = 7;
    for (byte[] v : values) {
      size += 4 + (v == null ? 0 : v.length);
    }
    Buffer out = Buffer.buffer(size).appendByte((byte) 'D').appendInt(size - 1);
    out.appendShort((short) values.length);
    for (byte[] v : values) {
      if (v == null) {
        out.appendInt(-1);
      } else {
        out.appendInt(v.length).appendBytes(v);
      }
    }
    return out;
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public boolean isNull(int column) {
    return values[column] == null;
  }

  @Override
  public String text(int column) {
    return values[column] == null ? null : new String(values[column], charset);
  }

  @Override
  public byte[] bytes(int column) {
    return values[column] == null ? null : values[column].clone();
  }

  @Override
  public void setText(int column, String value) {
    values[column] = value == null ? null : value.getBytes(charset);
    changed = true;
  }

  @Override
  public void setBytes(int column, byte[] value) {
    values[column] = value == null ? null : value.clone();
    changed = true;
  }

  @Override
  public void setNull(int column) {
    values[column] = null;
    changed = true;
  }
}
