package dev.ward.controlplane.slack;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a signed Slack request seen before. Signatures only need remembering for the timestamp
 * window; older ones are refused by the window itself.
 */
public final class ReplayGuard {

  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private final int capacity;

  /**
   * @param capacity most signatures kept; beyond it, new requests are refused (fail closed)
   */
  public ReplayGuard(int capacity) {
    this.capacity = capacity;
  }

  /** Records the signature; returns false when it was already seen inside the window. */
  public boolean firstTime(String signature, Instant now) {
    evictOlderThan(now.minus(SlackRequestSignature.WINDOW.multipliedBy(2)));
    if (seen.size() >= capacity) {
      return false;
    }
    return seen.putIfAbsent(signature, now) == null;
  }

  private void evictOlderThan(Instant cutoff) {
    for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(cutoff)) {
        it.remove();
      }
    }
  }
}
