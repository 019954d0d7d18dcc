package dev.ward.agent.protocol.postgres;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages bound for one socket while a read is processed, written as one buffer at the end of the
 * read: forwarded slices are gathered without copying, and the socket is written (and flushed) once
 * per read instead of once per message.
 */
final class Outbox {

  private final List<Buffer> messages = new ArrayList<>();

  void add(Buffer message) {
    messages.add(message);
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  /** Everything gathered, as one buffer; the outbox is empty afterwards. */
  Buffer take() {
    if (messages.size() == 1) {
      Buffer only = messages.get(0);
      messages.clear();
      return only;
    }
    ByteBuf[] parts = new ByteBuf[messages.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = messages.get(i).getByteBuf();
    }
    messages.clear();
    return Buffer.buffer(Unpooled.wrappedBuffer(parts.length, parts));
  }
}
