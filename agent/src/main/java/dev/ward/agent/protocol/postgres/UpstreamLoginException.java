package dev.ward.agent.protocol.postgres;

import io.vertx.core.buffer.Buffer;

/**
 * The agent could not open its session with the upstream. {@link #getMessage()} is for the agent's
 * log; the client sees {@link #clientError()}, which never reveals the upstream's credentials or
 * authentication exchange.
 */
final class UpstreamLoginException extends Exception {

  private final Buffer clientError;

  UpstreamLoginException(String logMessage, Buffer clientError) {
    super(logMessage, null, false, false);
    this.clientError = clientError;
  }

  Buffer clientError() {
    return clientError;
  }
}
