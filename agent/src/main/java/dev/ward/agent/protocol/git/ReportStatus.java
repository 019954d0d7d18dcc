package dev.ward.agent.protocol.git;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The answer of a refused push, in the form git shows its user: a {@code report-status} where every
 * ref is {@code ng} with Ward's reason (git prints {@code ! [remote rejected] main -> main
 * (reason)}), wrapped in side-band packets when the client asked for them, with the reason also as
 * a {@code remote:} message.
 */
final class ReportStatus {

  private ReportStatus() {}

  /**
   * @param commands the push's commands and capabilities
   * @param reasons for each update, in order, why it was refused (one line)
   * @param message a line for the user, shown as {@code remote: ...} when side-band is on
   */
  static Buffer refused(PushCommands commands, List<String> reasons, String message) {
    Buffer status = Buffer.buffer();
    status.appendBuffer(PktLines.line("unpack ok\n"));
    for (int i = 0; i < commands.updates().size(); i++) {
      status.appendBuffer(
          PktLines.line("ng " + commands.updates().get(i).ref() + " " + reasons.get(i) + "\n"));
    }
    status.appendBuffer(PktLines.FLUSH);
    boolean sideBand =
        commands.capabilities().contains("side-band-64k")
            || commands.capabilities().contains("side-band");
    if (!sideBand) {
      return status;
    }
    int max = commands.capabilities().contains("side-band-64k") ? 65515 : 999;
    Buffer out = Buffer.buffer();
    out.appendBuffer(PktLines.line(Buffer.buffer(new byte[] {2}).appendString(message + "\n")));
    for (int from = 0; from < status.length(); from += max) {
      Buffer part = status.getBuffer(from, Math.min(status.length(), from + max));
      out.appendBuffer(PktLines.line(Buffer.buffer(new byte[] {1}).appendBuffer(part)));
    }
    return out.appendBuffer(PktLines.FLUSH);
  }
}
