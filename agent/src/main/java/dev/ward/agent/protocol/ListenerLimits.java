package dev.ward.agent.protocol;

import java.time.Duration;

/**
 * Bounds that keep one client from holding the agent's memory or connections.
 *
 * @param handshakeTimeout how long a client may take from connecting to being authenticated
 * @param maxHandshakeMessage the largest message accepted before authentication, in bytes
 * @param maxMessage the largest message accepted afterwards (queries, rows, copy data), in bytes
 * @param upstreamConnectTimeout how long connecting to the upstream may take
 */
public record ListenerLimits(
    Duration handshakeTimeout,
    int maxHandshakeMessage,
    int maxMessage,
    Duration upstreamConnectTimeout) {

  /** 10 s to authenticate, 10 KiB before and 64 MiB after authentication, 10 s to connect. */
  public static ListenerLimits defaults() {
    return new ListenerLimits(
        Duration.ofSeconds(10), 10 * 1024, 64 * 1024 * 1024, Duration.ofSeconds(10));
  }

  public ListenerLimits withHandshakeTimeout(Duration timeout) {
    return new ListenerLimits(timeout, maxHandshakeMessage, maxMessage, upstreamConnectTimeout);
  }

  public ListenerLimits withMaxMessage(int bytes) {
    return new ListenerLimits(handshakeTimeout, maxHandshakeMessage, bytes, upstreamConnectTimeout);
  }
}
