package dev.ward.agent.protocol.http;

import dev.ward.proto.recording.v1.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.util.List;

/**
 * Passes a WebSocket through: the upstream handshake made with the injected credential first, then
 * the client's accepted and frames relayed both ways unchanged, with back-pressure. The handshake
 * is recorded as one exchange (status 101) when the socket closes, with the bytes each way.
 */
final class WebSocketRelay {

  private final GatewaySetup setup;
  private final HttpServerRequest request;
  private final HttpSession session;
  private final long startNanos = System.nanoTime();
  private long bytesIn;
  private long bytesOut;
  private boolean recorded;

  WebSocketRelay(GatewaySetup setup, HttpServerRequest request, HttpSession session) {
    this.setup = setup;
    this.request = request;
    this.session = session;
  }

  void start() {
    MultiMap headers = HopByHop.copy(request.headers());
    for (String name :
        List.of(
            "Authorization",
            "Sec-WebSocket-Key",
            "Sec-WebSocket-Version",
            "Sec-WebSocket-Extensions",
            "Sec-WebSocket-Protocol")) {
      headers.remove(name);
    }
    session.credential().apply(headers);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(setup.endpoint().host())
            .setPort(setup.endpoint().port())
            .setSsl(setup.endpoint().ssl())
            .setURI(setup.endpoint().uriFor(request.uri()))
            .setHeaders(headers);
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols != null) {
      for (String p : protocols.split(",")) {
        options.addSubProtocol(p.strip());
      }
    }
    setup
        .webSockets()
        .connect(options)
        .onFailure(
            e -> {
              int status =
                  e instanceof UpgradeRejectedException rejected ? rejected.getStatus() : 502;
              Problem problem =
                  new Problem(
                      status >= 400 ? status : 502,
                      "upstream-unavailable",
                      "Upstream WebSocket unavailable",
                      "The upstream did not accept the WebSocket: " + e.getMessage());
              problem.send(request.response());
              record(problem.status());
            })
        .onSuccess(this::accept);
  }

  private void accept(WebSocket upstream) {
    request
        .toWebSocket()
        .onFailure(
            e -> {
              upstream.close();
              record(400);
            })
        .onSuccess(client -> bridge(client, upstream));
  }

  private void bridge(ServerWebSocket client, WebSocket upstream) {
    client.frameHandler(
        frame -> {
          if (!data(frame)) {
            return;
          }
          bytesIn += frame.binaryData().length();
          upstream.writeFrame(frame);
          if (upstream.writeQueueFull()) {
            client.pause();
            upstream.drainHandler(v -> client.resume());
          }
        });
    upstream.frameHandler(
        frame -> {
          if (!data(frame)) {
            return;
          }
          bytesOut += frame.binaryData().length();
          client.writeFrame(frame);
          if (client.writeQueueFull()) {
            upstream.pause();
            client.drainHandler(v -> upstream.resume());
          }
        });
    client.closeHandler(
        v -> {
          if (!upstream.isClosed()) {
            upstream.close();
          }
          record(101);
        });
    upstream.closeHandler(
        v -> {
          if (!client.isClosed()) {
            client.close();
          }
          record(101);
        });
    client.exceptionHandler(e -> upstream.close());
    upstream.exceptionHandler(e -> client.close());
  }

  /** Data frames pass as they came; each side's own WebSocket answers pings and closes. */
  private static boolean data(WebSocketFrame frame) {
    WebSocketFrameType type = frame.type();
    return type == WebSocketFrameType.TEXT
        || type == WebSocketFrameType.BINARY
        || type == WebSocketFrameType.CONTINUATION;
  }

  private void record(int status) {
    if (recorded) {
      return;
    }
    recorded = true;
    Exchange.Builder exchange =
        Exchange.newBuilder()
            .setMethod("GET")
            .setPath(HttpExchange.bounded(request.uri(), 4096))
            .setStatus(status)
            .putAllRequestHeaders(
                RecordedHeaders.of(request.headers(), session.credential().headerName()))
            .putResponseHeaders("upgrade", "websocket")
            .setDurationNanos(System.nanoTime() - startNanos)
            .setRequestBytes(bytesIn)
            .setResponseBytes(bytesOut);
    session.record(exchange, List.of(), null, List.of());
  }
}
