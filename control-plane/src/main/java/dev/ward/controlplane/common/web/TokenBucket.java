package dev.ward.controlplane.common.web;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at {@code perSecond};
 * each request takes one. Thread-safe.
 */
final class TokenBucket {

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updated;

  TokenBucket(int capacity, double perSecond, long now) {
    this.capacity = capacity;
    this.perNano = perSecond / 1_000_000_000d;
    this.tokens = capacity;
    this.updated = now;
  }

  /**
   * Takes a token if there is one.
   *
   * @return 0 when taken, else the nanoseconds until the next token
   */
  synchronized long take(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Whether the bucket is full again, i.e. forgetting it changes nothing. */
  synchronized boolean full(long now) {
    refill(now);
    return tokens >= capacity;
  }

  private void refill(long now) {
    if (now > updated) {
      tokens = Math.min(capacity, tokens + (now - updated) * perNano);
      updated = now;
    }
  }
}
