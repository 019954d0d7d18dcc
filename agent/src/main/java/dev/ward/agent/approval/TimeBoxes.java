package dev.ward.agent.approval;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time boxes approvers granted: until when one engineer's held operations on one connection run
 * without a new request. Kept in memory only, so an agent restart ends them (fail closed).
 */
final class TimeBoxes {

  static final int CAPACITY = 10_000;

  private record Key(String subject, String connectionId) {}

  private final Map<Key, Long> until = new ConcurrentHashMap<>();

  void grant(String subject, String connectionId, long untilMillis, long now) {
    if (untilMillis <= now || subject.isEmpty()) {
      return;
    }
    if (until.size() >= CAPACITY) {
      evictExpired(now);
    }
    if (until.size() < CAPACITY) {
      until.merge(new Key(subject, connectionId), untilMillis, Math::max);
    }
  }

  /** End of the box covering this engineer on this connection, or 0 when none is open. */
  long activeUntil(String subject, String connectionId, long now) {
    Long end = until.get(new Key(subject, connectionId));
    return end != null && end > now ? end : 0;
  }

  private void evictExpired(long now) {
    for (Iterator<Long> it = until.values().iterator(); it.hasNext(); ) {
      if (it.next() <= now) {
        it.remove();
      }
    }
  }
}
