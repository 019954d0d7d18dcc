package dev.ward.agent.protocol.postgres;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages bound for one socket while a read is processed, written as one buffer at the end of the
 * read, so the socket is written (and flushed) once per read instead of once per message.
 *
 * <p>Messages forwarded unchanged are usually neighbours in the buffer they were read from; such a
 * run is written as one slice of that buffer, so the common case (a whole read passed on as it
 * came) costs no copy and no composite buffer. Anything else (the agent's own messages, rewritten
 * rows, a gap where a message was held back) ends the run; a few small parts are copied into one
 * buffer, larger ones gathered without copying.
 */
final class Outbox {

  /** Up to this many bytes, parts are copied into one buffer rather than gathered. */
  static final int COPY_LIMIT = 16 * 1024;

  private final List<Buffer> parts = new ArrayList<>();
  private int bytes;
  // the run of neighbouring forwarded messages not yet cut into a part
  private Buffer runSource;
  private int runStart;
  private int runEnd;

  /** Adds a message of the agent's own or a changed one. */
  void add(Buffer message) {
    endRun();
    parts.add(message);
    bytes += message.length();
  }

  /**
   * Adds a message forwarded unchanged, as it lies in the buffer it was read from: {@code source}
   * from {@code start} (inclusive) to {@code end} (exclusive).
   */
  void forward(Buffer source, int start, int end) {
    if (source == runSource && start == runEnd) {
      runEnd = end;
      return;
    }
    endRun();
    runSource = source;
    runStart = start;
    runEnd = end;
  }

  boolean isEmpty() {
    return parts.isEmpty() && runSource == null;
  }

  /** Everything gathered, as one buffer; the outbox is empty afterwards. */
  Buffer take() {
    endRun();
    Buffer out;
    if (parts.size() == 1) {
      out = parts.get(0);
    } else if (bytes <= COPY_LIMIT) {
      out = Buffer.buffer(bytes);
      for (Buffer part : parts) {
        out.appendBuffer(part);
      }
    } else {
      ByteBuf[] bufs = new ByteBuf[parts.size()];
      for (int i = 0; i < bufs.length; i++) {
        bufs[i] = parts.get(i).getByteBuf();
      }
      out = Buffer.buffer(Unpooled.wrappedBuffer(bufs.length, bufs));
    }
    parts.clear();
    bytes = 0;
    return out;
  }

  private void endRun() {
    if (runSource != null) {
      parts.add(runSource.slice(runStart, runEnd));
      bytes += runEnd - runStart;
      runSource = null;
    }
  }
}
