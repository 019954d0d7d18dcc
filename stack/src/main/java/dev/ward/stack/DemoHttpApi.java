package dev.ward.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small internal HTTP API for {@code make dev} and tests, on 127.0.0.1: it answers only requests
 * that carry its bearer token (which only the Ward agent holds) and returns data an AI agent should
 * never see unmasked. {@code GET /customers}, {@code GET /customers/{id}}, {@code GET /health},
 * {@code POST /echo} and {@code DELETE /admin/...}.
 */
public final class DemoHttpApi implements AutoCloseable {

  private static final String CUSTOMERS =
      """
      [
        {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com",
         "card": "4111 1111 1111 1111", "api_key": "sk_live_51Hq8ZkL2mN4pQ7rS9tV1wX3yZ5bC8dF0gH2jK"},
        {"id": 2, "name": "Grace Hopper", "email": "grace@example.com",
         "card": "5500 0000 0000 0004", "aws_access_key_id": "AKIAQ3EGRBXJ7K4N2WPZ"}
      ]
      """;

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final String token;

  /**
   * @param port where to listen; 0 for any free port
   * @param token the bearer token every request must carry
   */
  public DemoHttpApi(int port, String token) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream body = exchange.getRequestBody()) {
        byte[] request = body.readAllBytes();
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          send(exchange, 401, "{\"error\": \"missing or wrong token\"}");
          return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/health")) {
          send(exchange, 200, "{\"status\": \"ok\"}");
        } else if (path.equals("/customers") && method.equals("GET")) {
          send(exchange, 200, CUSTOMERS);
        } else if (path.startsWith("/customers/") && method.equals("GET")) {
          String id = path.substring("/customers/".length());
          send(
              exchange,
              200,
              "{\"id\": \""
                  + id.replaceAll("[^0-9A-Za-z-]", "")
                  + "\", \"name\": \"Ada Lovelace\", \"email\": \"ada@example.com\","
                  + " \"note\": \"rotate AKIAQ3EGRBXJ7K4N2WPZ soon\"}");
        } else if (path.equals("/echo") && method.equals("POST")) {
          send(exchange, 200, new String(request, StandardCharsets.UTF_8));
        } else if (path.startsWith("/admin/")) {
          exchange.sendResponseHeaders(204, -1);
        } else {
          send(exchange, 404, "{\"error\": \"no such resource\"}");
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
