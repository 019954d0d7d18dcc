package dev.ward.agent.protocol.git;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command list at the start of a {@code git-receive-pack} request: the ref updates a push asks
 * for and the capabilities the client wants in the answer. It ends at the first flush packet; the
 * pack data follows.
 *
 * @param updates the ref updates, in order
 * @param capabilities what the client asked for on the first command line
 */
record PushCommands(List<Update> updates, Set<String> capabilities) {

  /** One ref update: old id, new id, full ref name. */
  record Update(String oldId, String newId, String ref) {}

  /** Whether the bytes read so far hold the whole command list (or are not a command list). */
  static boolean complete(Buffer body) {
    int offset = 0;
    try {
      while (true) {
        int n = PktLines.length(body, offset);
        if (n < 0) {
          return false;
        }
        if (n == 4) {
          return true;
        }
        offset += n;
      }
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /**
   * Parses the command list.
   *
   * @throws IllegalArgumentException when the body does not start with one
   */
  static PushCommands parse(Buffer body) {
    List<Update> updates = new ArrayList<>();
    Set<String> capabilities = Set.of();
    int offset = 0;
    while (true) {
      int n = PktLines.length(body, offset);
      if (n < 0 || offset + n > body.length()) {
        throw new IllegalArgumentException("the push command list is cut short");
      }
      if (n == 4) {
        break;
      }
      String line = body.getString(offset + 4, offset + n, StandardCharsets.UTF_8.name());
      offset += n;
      if (line.endsWith("\n")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.startsWith("shallow ")) {
        continue;
      }
      int nul = line.indexOf('\0');
      if (nul >= 0) {
        capabilities = Set.of(line.substring(nul + 1).strip().split(" "));
        line = line.substring(0, nul);
      }
      String[] parts = line.split(" ");
      if (parts.length != 3 || !objectId(parts[0]) || !objectId(parts[1])) {
        throw new IllegalArgumentException("not a push command: " + truncate(line));
      }
      updates.add(new Update(parts[0], parts[1], parts[2]));
    }
    return new PushCommands(List.copyOf(updates), capabilities);
  }

  private static boolean objectId(String id) {
    return (id.length() == 40 || id.length() == 64)
        && id.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static String truncate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
