package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ResultColumn;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the columns of a RowDescription message. */
final class RowDescription {

  private RowDescription() {}

  static List<ResultColumn> parse(Buffer message, Charset charset) {
    return parse(message, charset, TableNames.Lookup.NONE);
  }

  /** The columns, each with the table column behind it as far as {@code tables} knows it. */
  static List<ResultColumn> parse(Buffer message, Charset charset, TableNames.Lookup tables) {
    Wire.require(message, 5, 2);
    int count = message.getUnsignedShort(5);
    List<ResultColumn> columns = new ArrayList<>(count);
    int pos = 7;
    for (int i = 0; i < count; i++) {
      int end = Wire.endOfString(message, pos);
      String name = new String(message.getBytes(pos, end), charset);
      pos = end + 1;
      // table oid (4), column number (2), type oid (4), type size (2), modifier (4), format (2)
      Wire.require(message, pos, 18);
      int tableOid = message.getInt(pos);
      short attribute = message.getShort(pos + 4);
      int typeOid = message.getInt(pos + 6);
      int format = message.getShort(pos + 16);
      ResultColumn.Source source = tableOid == 0 ? null : tables.source(tableOid, attribute);
      columns.add(new ResultColumn(name, typeOid, format == 1, tableOid, attribute, source));
      pos += 18;
    }
    return columns;
  }

  /** The OIDs of the tables the columns come from, read without decoding the column names. */
  static Set<Integer> tableOids(Buffer message) {
    Wire.require(message, 5, 2);
    int count = message.getUnsignedShort(5);
    Set<Integer> oids = new HashSet<>();
    int pos = 7;
    for (int i = 0; i < count; i++) {
      pos = Wire.endOfString(message, pos) + 1;
      Wire.require(message, pos, 18);
      int tableOid = message.getInt(pos);
      if (tableOid != 0) {
        oids.add(tableOid);
      }
      pos += 18;
    }
    return oids;
  }

  /** The columns with the result formats a Bind asked for (0 codes: text, 1: all, n: each). */
  static List<ResultColumn> withFormats(List<ResultColumn> columns, short[] formats) {
    List<ResultColumn> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      boolean binary =
          formats.length == 0
              ? false
              : formats.length == 1 ? formats[0] == 1 : i < formats.length && formats[i] == 1;
      out.add(columns.get(i).withBinary(binary));
    }
    return out;
  }
}
