package dev.ward.agent.protocol.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One upstream HTTP client per event loop. Vert.x 4 pools a client's connections across event loops
 * and hands the most recently used one to whichever loop asks, so a single client sends every
 * upstream response through one loop and back; a client per loop keeps an exchange, its client
 * connection and its upstream connection on the same thread.
 */
final class LoopClients {

  private final Vertx vertx;
  private final HttpClientOptions options;
  private final Map<Thread, HttpClient> byLoop = new ConcurrentHashMap<>();

  LoopClients(Vertx vertx, HttpClientOptions options) {
    this.vertx = vertx;
    this.options = new HttpClientOptions(options);
  }

  /** The client of the calling event loop, created on first use. */
  HttpClient current() {
    return byLoop.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(options));
  }

  /** Closes every loop's client. */
  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpClient c : byLoop.values()) {
      closing.add(c.close());
    }
    byLoop.clear();
    return Future.join(closing).mapEmpty();
  }
}
