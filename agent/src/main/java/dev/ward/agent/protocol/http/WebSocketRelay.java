package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.MaskingTally;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.WebSocketMessage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Passes a WebSocket through: the upstream handshake made with the injected credential first, then
 * the client's accepted and messages relayed both ways with back-pressure. Text messages from the
 * upstream are masked before the client sees them (a message split into frames is gathered first,
 * up to {@link #MAX_TEXT_MESSAGE} bytes; a longer one closes the socket with 1009 rather than pass
 * unmasked); the client's messages go upstream unchanged. Every message is recorded (text masked
 * and bounded, binary by size), and the handshake as one exchange (status 101) when the socket
 * closes, with the bytes each way.
 */
final class WebSocketRelay {

  /** Longest text message the relay gathers to mask. */
  static final int MAX_TEXT_MESSAGE = 1 << 20;

  /** Most text of one message kept in the recording. */
  static final int MAX_RECORDED_TEXT = 64 * 1024;

  /** Gathers the frames of one message from one side. */
  private static final class Message {
    final String direction;
    Buffer parts = Buffer.buffer();
    boolean text;
    boolean open;
    long bytes;

    Message(String direction) {
      this.direction = direction;
    }
  }

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
    Message fromClient = new Message("client");
    Message fromUpstream = new Message("upstream");
    client.frameHandler(
        frame -> {
          if (!data(frame)) {
            return;
          }
          bytesIn += frame.binaryData().length();
          upstream.writeFrame(frame);
          gather(fromClient, frame, client, upstream, false);
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
          if (!gather(fromUpstream, frame, client, upstream, true)) {
            client.writeFrame(frame);
          }
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

  /**
   * Follows one side's messages frame by frame and records each when it ends. For text messages
   * that are to be masked, frames are held and the whole message is sent on masked as one frame.
   *
   * @return whether the frame was held (the caller must not pass it on)
   */
  private boolean gather(
      Message m, WebSocketFrame frame, ServerWebSocket client, WebSocket upstream, boolean mask) {
    if (!m.open) {
      m.text = frame.type() == WebSocketFrameType.TEXT;
      m.open = true;
      m.bytes = 0;
      m.parts = Buffer.buffer();
    }
    Buffer data = frame.binaryData();
    m.bytes += data.length();
    boolean holding = mask && m.text;
    if (m.text && (holding || m.parts.length() < MAX_RECORDED_TEXT * 4)) {
      if (holding && m.parts.length() + data.length() > MAX_TEXT_MESSAGE) {
        // too long to mask: closing is the only way not to pass it on unmasked
        client.close((short) 1009, "message too big for Ward to inspect");
        upstream.close((short) 1009, "message too big for Ward to inspect");
        m.open = false;
        return true;
      }
      m.parts.appendBuffer(data);
    }
    if (!frame.isFinal()) {
      return holding;
    }
    m.open = false;
    WebSocketMessage.Builder message =
        WebSocketMessage.newBuilder()
            .setDirection(m.direction)
            .setType(m.text ? "text" : "binary")
            .setBytes(m.bytes)
            .setPath(HttpExchange.bounded(request.uri(), 4096));
    MaskingTally tally = new MaskingTally();
    if (m.text) {
      String text = m.parts.toString(StandardCharsets.UTF_8);
      String masked = session.policy().maskBody(text, HttpExchange.looksJson(text), tally);
      if (holding) {
        client.writeFrame(WebSocketFrame.textFrame(masked, true));
      }
      boolean truncated = masked.length() > MAX_RECORDED_TEXT || m.bytes > m.parts.length();
      message
          .setText(
              truncated
                  ? masked.substring(0, Math.min(masked.length(), MAX_RECORDED_TEXT))
                  : masked)
          .setTruncated(truncated);
    }
    m.parts = Buffer.buffer();
    session.recordMessage(message, tally.entries());
    return holding;
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
