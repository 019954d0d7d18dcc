package dev.ward.agent.approval;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an approval is bound to: SHA-256 over the normalised statement text and its parameters. The
 * text is normalised only where meaning cannot change — runs of whitespace outside quotes become
 * one space, leading and trailing whitespace and trailing semicolons go — so reformatting a held
 * statement does not need a new approval, but any other change does.
 */
public final class OperationHash {

  private OperationHash() {}

  /** The hex SHA-256 of the operation. */
  public static String of(String text, List<String> parameters) {
    MessageDigest sha = sha256();
    byte[] normal = normalise(text).getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(normal.length).array());
    sha.update(normal);
    sha.update(ByteBuffer.allocate(4).putInt(parameters.size()).array());
    for (String p : parameters) {
      if (p == null) {
        sha.update(ByteBuffer.allocate(4).putInt(-1).array());
      } else {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The text with whitespace outside quotes collapsed and trailing semicolons removed. */
  static String normalise(String text) {
    StringBuilder out = new StringBuilder(text.length());
    char quote = 0;
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        out.append(c);
        if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (Character.isWhitespace(c)) {
        space = true;
        continue;
      }
      if (space && !out.isEmpty()) {
        out.append(' ');
      }
      space = false;
      if (c == '\'' || c == '"') {
        quote = c;
      }
      out.append(c);
    }
    int end = out.length();
    while (end > 0 && (out.charAt(end - 1) == ';' || out.charAt(end - 1) == ' ')) {
      end--;
    }
    return out.substring(0, end);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
