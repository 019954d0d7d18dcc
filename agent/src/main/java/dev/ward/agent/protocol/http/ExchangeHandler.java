package dev.ward.agent.protocol.http;

/**
 * What one protocol carried over HTTP does with each exchange once the agent knows who is behind
 * it: put it to policy, read what it must see of the body, then {@link HttpExchange#forward
 * forward} it or answer it in the protocol's own terms. Plain APIs, Git smart HTTP and MCP each
 * provide one; authentication, sessions, credential injection, streaming, masking of responses and
 * recording are the {@link HttpListener}'s.
 */
@FunctionalInterface
public interface ExchangeHandler {

  /**
   * Handles one exchange on the listener's event loop; must not block. The request body is paused
   * until the handler reads or forwards it, and every path must end in {@link
   * HttpExchange#forward}, {@link HttpExchange#refuse}, {@link HttpExchange#fail} or {@link
   * HttpExchange#answer}.
   */
  void handle(HttpExchange exchange);
}
