package dev.ward.controlplane.security;

import dev.ward.controlplane.common.Problem;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window limit on how often one caller (e.g. one client address) may call a public
 * endpoint. Memory is bounded: past {@code maxKeys} callers the oldest windows are dropped, and
 * beyond that a global window caps the total, so a flood of addresses cannot grow it without end.
 */
public final class RateLimiter {

  private final int perKey;
  private final int global;
  private final long windowMillis;
  private final int maxKeys;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Window all = new Window(0);

  private static final class Window {
    long start;
    int count;

    Window(long start) {
      this.start = start;
    }
  }

  public RateLimiter(int perKey, int global, long windowMillis, int maxKeys, Clock clock) {
    this.perKey = perKey;
    this.global = global;
    this.windowMillis = windowMillis;
    this.maxKeys = maxKeys;
    this.clock = clock;
  }

  /** Counts one call of the caller, or refuses it with 429 when its window is full. */
  public void acquire(String key, String what) {
    long now = clock.millis();
    if (!admit(all, now, global)) {
      throw tooMany(what, all, now);
    }
    if (windows.size() >= maxKeys) {
      evictExpired(now);
    }
    Window w = windows.computeIfAbsent(key, k -> new Window(now));
    if (!admit(w, now, perKey)) {
      throw tooMany(what, w, now);
    }
  }

  private boolean admit(Window w, long now, int limit) {
    synchronized (w) {
      if (now - w.start >= windowMillis) {
        w.start = now;
        w.count = 0;
      }
      if (w.count >= limit) {
        return false;
      }
      w.count++;
      return true;
    }
  }

  private void evictExpired(long now) {
    Iterator<Window> it = windows.values().iterator();
    while (it.hasNext()) {
      Window w = it.next();
      if (now - w.start >= windowMillis || windows.size() >= maxKeys) {
        it.remove();
      }
    }
  }

  private Problem tooMany(String what, Window w, long now) {
    long seconds = Math.max(1, (w.start + windowMillis - now + 999) / 1000);
    return new Problem(
        429,
        "Too Many Requests",
        "Too many " + what + " from your address; try again in " + seconds + " seconds.");
  }
}
