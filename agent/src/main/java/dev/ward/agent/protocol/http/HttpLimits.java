package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.proto.channel.v1.Connection;
import java.time.Duration;

/**
 * Bounds of an HTTP-carried connection, from its options (names in brackets) or defaults.
 *
 * @param maxHeaderBytes all request headers together ({@code max_header_bytes}, 16 KiB); larger
 *     requests get 431
 * @param maxInitialLine the request line ({@code max_request_line_bytes}, 8 KiB); longer ones get
 *     414
 * @param maxRequestBody a streamed request body ({@code max_request_body_bytes}, 256 MiB); larger
 *     ones get 413
 * @param maxBufferedBody a body the agent must hold whole: a response it masks, an MCP message, the
 *     command list of a Git push, one server-sent event ({@code max_buffered_body_bytes}, 4 MiB)
 * @param recordedBody how much of each body goes into the recording ({@code record_body_bytes}, 64
 *     KiB); the rest is counted, not kept
 * @param sessionIdle how long a grant's session stays open without exchanges ({@code
 *     session_idle_seconds}, 60 s); the next exchange opens a new one
 * @param upstreamConnectTimeout how long connecting to the upstream may take
 */
public record HttpLimits(
    int maxHeaderBytes,
    int maxInitialLine,
    long maxRequestBody,
    int maxBufferedBody,
    int recordedBody,
    Duration sessionIdle,
    Duration upstreamConnectTimeout) {

  /** The limits of a connection; an option that is not a positive number is refused. */
  public static HttpLimits of(Connection connection, ListenerLimits listener) {
    return new HttpLimits(
        (int) option(connection, "max_header_bytes", 16 * 1024, Integer.MAX_VALUE),
        (int) option(connection, "max_request_line_bytes", 8 * 1024, Integer.MAX_VALUE),
        option(connection, "max_request_body_bytes", 256L * 1024 * 1024, Long.MAX_VALUE),
        (int) option(connection, "max_buffered_body_bytes", 4 * 1024 * 1024, 512 * 1024 * 1024),
        (int) option(connection, "record_body_bytes", 64 * 1024, 16 * 1024 * 1024),
        Duration.ofSeconds(option(connection, "session_idle_seconds", 60, 24 * 3600)),
        listener.upstreamConnectTimeout());
  }

  private static long option(Connection connection, String name, long fallback, long max) {
    String text = connection.getOptionsOrDefault(name, "");
    if (text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value > 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "connection "
            + connection.getName()
            + ": option "
            + name
            + " must be a whole number from 1 to "
            + max
            + ", got '"
            + text
            + "'");
  }
}
