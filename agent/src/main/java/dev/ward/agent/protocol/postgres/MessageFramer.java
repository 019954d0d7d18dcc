package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into PostgreSQL messages without copying complete ones: each message is handed
 * on as a slice of the buffer it arrived in, header included, so an unchanged message is forwarded
 * as it is. Only a message split across reads is gathered into a buffer of its own. Startup-phase
 * messages have no type byte ({@code typed == false}); they are reported with type 0.
 */
final class MessageFramer {

  /** Receives whole messages; returning false stops delivery, keeping the rest for later. */
  @FunctionalInterface
  interface Handler {
    boolean onMessage(byte type, Buffer message);
  }

  private boolean typed;
  private int maxLength;
  // the message being delivered and where it lies, for handlers that forward it unchanged
  private Buffer delivering;
  private Buffer source;
  private int sourceStart;
  private Buffer pending;
  private int pendingStart;

  MessageFramer(boolean typed, int maxLength) {
    this.typed = typed;
    this.maxLength = maxLength;
  }

  /** Switches from untyped startup messages to typed ones, e.g. after the startup packet. */
  void typed(boolean typed) {
    this.typed = typed;
  }

  /** Bounds the length of the messages still to come. */
  void maxLength(int maxLength) {
    this.maxLength = maxLength;
  }

  /**
   * Puts a message into the outbox unchanged. The message being delivered goes as part of the
   * buffer it was read from, so that neighbouring messages leave as one slice; any other (one
   * replayed later, say, after a hold) goes as it is.
   */
  void forward(Buffer message, Outbox outbox) {
    if (message == delivering) {
      outbox.forward(source, sourceStart, sourceStart + message.length());
    } else {
      outbox.add(message);
    }
  }

  /** Whether bytes of an incomplete or undelivered message are held. */
  boolean hasPending() {
    return pending != null && pending.length() > pendingStart;
  }

  /**
   * Feeds newly read bytes and hands every complete message to the handler.
   *
   * @return false when the handler stopped delivery; the rest stays held for {@link #drain}
   * @throws ProtocolViolation when a message header is invalid or exceeds the bound
   */
  boolean feed(Buffer chunk, Handler handler) {
    if (!hasPending()) {
      pending = null;
      int consumed = deliver(chunk, 0, handler);
      if (consumed < chunk.length()) {
        // keep only the tail; complete messages were handed on as slices
        pending = Buffer.buffer(Math.max(256, chunk.length() - consumed));
        pending.appendBuffer(chunk, consumed, chunk.length() - consumed);
        pendingStart = 0;
      }
      return !stopped;
    }
    pending.appendBuffer(chunk);
    return drain(handler);
  }

  /** Keeps newly read bytes for a later {@link #drain}, delivering nothing now. */
  void append(Buffer chunk) {
    if (!hasPending()) {
      pending = Buffer.buffer(Math.max(256, chunk.length()));
      pendingStart = 0;
    }
    pending.appendBuffer(chunk);
  }

  /** Delivers held complete messages, e.g. after a handler that stopped hands the stream on. */
  boolean drain(Handler handler) {
    if (!hasPending()) {
      return true;
    }
    Buffer held = pending;
    int consumed = deliver(held, pendingStart, handler);
    if (consumed == held.length()) {
      pending = null;
      pendingStart = 0;
    } else if (consumed > 0 && !stopped) {
      // compact: a new buffer for the incomplete tail so slices handed on stay intact
      pending = Buffer.buffer(Math.max(256, held.length() - consumed));
      pending.appendBuffer(held, consumed, held.length() - consumed);
      pendingStart = 0;
    } else {
      pendingStart = consumed;
    }
    return !stopped;
  }

  private boolean stopped;

  private int deliver(Buffer buf, int from, Handler handler) {
    stopped = false;
    int pos = from;
    while (true) {
      // re-read per message: a handler may switch from startup to typed messages
      boolean withType = typed;
      int header = withType ? 5 : 4;
      if (buf.length() - pos < header) {
        return pos;
      }
      int length = buf.getInt(withType ? pos + 1 : pos);
      if (length < (withType ? 4 : 8)) {
        throw new ProtocolViolation("invalid message length " + length);
      }
      if (length > maxLength) {
        throw new ProtocolViolation(
            "message of " + length + " bytes exceeds the limit of " + maxLength + " bytes");
      }
      int total = withType ? 1 + length : length;
      if (buf.length() - pos < total) {
        return pos;
      }
      byte type = withType ? buf.getByte(pos) : 0;
      Buffer message = buf.slice(pos, pos + total);
      delivering = message;
      source = buf;
      sourceStart = pos;
      pos += total;
      boolean more;
      try {
        more = handler.onMessage(type, message);
      } finally {
        delivering = null;
        source = null;
      }
      if (!more) {
        stopped = true;
        return pos;
      }
    }
  }
}
