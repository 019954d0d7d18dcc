package dev.ward.agent.protocol.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** An internal HTTP API for tests: echoes what reached it, leaks a key, streams, speaks SSE. */
final class TestUpstream implements AutoCloseable {

  static final String AWS_KEY = "AKIAQ3EGRBXJ7K4N2WPZ";

  final HttpServer server;
  final int port;
  final AtomicReference<String> lastAuthorization = new AtomicReference<>();
  final AtomicReference<String> lastPath = new AtomicReference<>();

  TestUpstream(Vertx vertx, KeyCertOptions tls) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls);
    }
    server =
        vertx
            .createHttpServer(options)
            .webSocketHandler(
                ws -> {
                  lastAuthorization.set(ws.headers().get("Authorization"));
                  ws.binaryMessageHandler(b -> ws.write(Buffer.buffer("echo:").appendBuffer(b)));
                  ws.textMessageHandler(
                      t -> {
                        switch (t) {
                          case "leak" -> ws.writeTextMessage("{\"key\": \"" + AWS_KEY + "\"}");
                          case "leak-in-frames" -> {
                            // the key split across a text frame and its continuation
                            ws.writeFrame(
                                WebSocketFrame.textFrame("key " + AWS_KEY.substring(0, 9), false));
                            ws.writeFrame(
                                WebSocketFrame.continuationFrame(
                                    Buffer.buffer(AWS_KEY.substring(9) + " end"), true));
                          }
                          default -> ws.writeTextMessage("echo:" + t);
                        }
                      });
                })
            .requestHandler(this::handle)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private void handle(HttpServerRequest request) {
    lastAuthorization.set(request.getHeader("Authorization"));
    lastPath.set(request.uri());
    String path = request.path();
    if (path.startsWith("/api/echo")) {
      request
          .body()
          .onSuccess(
              body ->
                  json(
                      request,
                      new JsonObject()
                          .put("authorization", request.getHeader("Authorization"))
                          .put("host", request.getHeader("Host"))
                          .put("uri", request.uri())
                          .put("method", request.method().name())
                          .put("body", body.toString())));
    } else if (path.equals("/api/leak")) {
      json(
          request,
          new JsonObject().put("service", "aws").put("access_key", AWS_KEY).put("note", "ok"));
    } else if (path.equals("/api/upload")) {
      long[] count = {0};
      request.handler(b -> count[0] += b.length());
      request.endHandler(v -> json(request, new JsonObject().put("received", count[0])));
    } else if (path.equals("/api/download")) {
      long n = Long.parseLong(request.getParam("bytes"));
      var response = request.response().setChunked(true);
      response.putHeader("Content-Type", "application/octet-stream");
      byte[] chunk = new byte[64 * 1024];
      long[] left = {n};
      Runnable[] pump = new Runnable[1];
      pump[0] =
          () -> {
            while (left[0] > 0 && !response.writeQueueFull()) {
              int size = (int) Math.min(chunk.length, left[0]);
              response.write(Buffer.buffer(chunk).getBuffer(0, size));
              left[0] -= size;
            }
            if (left[0] == 0) {
              response.end();
            } else {
              response.drainHandler(v -> pump[0].run());
            }
          };
      pump[0].run();
    } else if (path.equals("/api/events")) {
      var response = request.response().setChunked(true);
      response.putHeader("Content-Type", "text/event-stream");
      response.write("event: message\nid: 1\ndata: {\"key\":\"" + AWS_KEY + "\"}\n\n");
      response.write("data: plain " + AWS_KEY + "\n");
      response.end("\n");
    } else if (path.startsWith("/admin/")) {
      request.response().setStatusCode(204).end();
    } else if (path.equals("/api/big")) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 300_000) {
        text.append("line of text without secrets\n");
      }
      request.response().putHeader("Content-Type", "text/plain").end(text.toString());
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
