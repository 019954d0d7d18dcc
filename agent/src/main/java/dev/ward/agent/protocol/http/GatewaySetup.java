package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.ListenerContext;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;

/**
 * What exchanges start with: the listener's context and upstream as they are when a request
 * arrives. Later config updates do not change an exchange that has started.
 *
 * @param context the listener context, with the connection in force
 * @param endpoint the upstream base URL and TLS mode
 * @param limits the connection's bounds
 * @param clients reach the upstream, one per event loop
 * @param webSockets reaches the upstream for WebSocket upgrades
 */
record GatewaySetup(
    ListenerContext context,
    UpstreamEndpoint endpoint,
    HttpLimits limits,
    LoopClients clients,
    WebSocketClient webSockets) {

  /** The upstream client of the calling event loop. */
  HttpClient client() {
    return clients.current();
  }
}
