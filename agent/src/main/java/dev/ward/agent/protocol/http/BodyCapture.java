package dev.ward.agent.protocol.http;

import io.vertx.core.buffer.Buffer;

/** Keeps the first bytes of a body for the recording and counts all of them. Not thread-safe. */
final class BodyCapture {

  private final int limit;
  private final Buffer kept = Buffer.buffer();
  private long total;

  BodyCapture(int limit) {
    this.limit = limit;
  }

  void add(Buffer chunk) {
    total += chunk.length();
    int room = limit - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
    }
  }

  Buffer kept() {
    return kept;
  }

  long total() {
    return total;
  }

  boolean truncated() {
    return total > kept.length();
  }
}
