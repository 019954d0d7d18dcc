package dev.ward.agent.channel;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (a random delay between zero and an exponentially growing
 * ceiling), so a fleet of agents that lost the control plane together does not reconnect together.
 */
public final class Backoff {

  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;
  private int attempts;

  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  public Duration next() {
    long ceiling = ceiling(attempts);
    attempts = Math.min(attempts + 1, 62);
    // Never below a tenth of the ceiling, so retries do not hammer when the draw is tiny.
    long floor = Math.max(1, ceiling / 10);
    return Duration.ofMillis(floor + (long) (random.nextDouble() * (ceiling - floor)));
  }

  /** The ceiling of the n-th delay, without jitter. */
  long ceiling(int n) {
    long shifted = n >= 62 ? Long.MAX_VALUE : baseMillis << Math.min(n, 30);
    return Math.min(capMillis, shifted <= 0 ? capMillis : shifted);
  }

  /** After a success: the next failure starts again from the base delay. */
  public void reset() {
    attempts = 0;
  }

  public int attempts() {
    return attempts;
  }
}
