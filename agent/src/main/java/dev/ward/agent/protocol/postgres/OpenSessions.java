package dev.ward.agent.protocol.postgres;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions of one listener that are open, so stopping the listener can end them. */
final class OpenSessions {

  private final Set<Runnable> closers = ConcurrentHashMap.newKeySet();

  void add(Runnable closer) {
    closers.add(closer);
  }

  void remove(Runnable closer) {
    closers.remove(closer);
  }

  int size() {
    return closers.size();
  }

  /** Ends every open session. */
  void closeAll() {
    for (Runnable closer : Set.copyOf(closers)) {
      closer.run();
    }
  }
}
