package dev.ward.agent.protocol.postgres;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cancel keys a listener handed out. Each client gets the agent's own process id and secret
 * (BackendKeyData), mapped here to the upstream backend's, so a CancelRequest sent to the agent
 * reaches the right upstream backend and no client ever learns an upstream key.
 */
final class CancelKeys {

  /** What a client's key stands for. */
  record Entry(
      int processId,
      int secret,
      UpstreamTarget target,
      int upstreamProcessId,
      int upstreamSecret) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final ConcurrentHashMap<Integer, Entry> byProcessId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Entry, Runnable> onCancel = new ConcurrentHashMap<>();

  /** Hands out a fresh key for an upstream backend. */
  Entry register(UpstreamTarget target, int upstreamProcessId, int upstreamSecret) {
    while (true) {
      int pid = RANDOM.nextInt(1, Integer.MAX_VALUE);
      Entry e = new Entry(pid, RANDOM.nextInt(), target, upstreamProcessId, upstreamSecret);
      if (byProcessId.putIfAbsent(pid, e) == null) {
        return e;
      }
    }
  }

  /** The entry for a key a client presents, if the secret matches. */
  Entry find(int processId, int secret) {
    Entry e = byProcessId.get(processId);
    if (e == null) {
      return null;
    }
    byte[] a = java.nio.ByteBuffer.allocate(4).putInt(e.secret()).array();
    byte[] b = java.nio.ByteBuffer.allocate(4).putInt(secret).array();
    return MessageDigest.isEqual(a, b) ? e : null;
  }

  /** What a CancelRequest with this key does besides cancelling upstream (withdraw a hold). */
  void onCancel(Entry e, Runnable action) {
    onCancel.put(e, action);
  }

  /** Runs the key's cancel action, if any. */
  void cancelled(Entry e) {
    Runnable action = onCancel.get(e);
    if (action != null) {
      action.run();
    }
  }

  void remove(Entry e) {
    if (e != null) {
      byProcessId.remove(e.processId(), e);
      onCancel.remove(e);
    }
  }
}
