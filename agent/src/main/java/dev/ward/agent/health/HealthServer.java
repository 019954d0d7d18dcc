package dev.ward.agent.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz} (the process is alive) and {@code /readyz} (the agent enforces a config
 * and its listeners are bound), for systemd watchdogs and Kubernetes probes.
 */
public final class HealthServer {

  /** What /readyz reports. */
  public record Readiness(boolean ready, JsonObject details) {}

  private final Vertx vertx;
  private final Supplier<Readiness> readiness;
  private HttpServer server;

  public HealthServer(Vertx vertx, Supplier<Readiness> readiness) {
    this.vertx = vertx;
    this.readiness = readiness;
  }

  /** Binds the server; completes with the bound port. */
  public Future<Integer> start(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest request) {
    var response = request.response().putHeader("content-type", "application/json");
    switch (request.path()) {
      case "/healthz" -> response.end(new JsonObject().put("status", "alive").encode());
      case "/readyz" -> {
        Readiness r = readiness.get();
        response
            .setStatusCode(r.ready() ? 200 : 503)
            .end(r.details().copy().put("ready", r.ready()).encode());
      }
      default ->
          response
              .setStatusCode(404)
              .putHeader("content-type", "application/problem+json")
              .end(
                  new JsonObject()
                      .put("title", "Not Found")
                      .put("status", 404)
                      .put("detail", "Try /healthz or /readyz.")
                      .encode());
    }
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
