package dev.ward.agent.protocol;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultithreadEventLoopGroup;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listen address served by every event loop of the agent: one server (TCP or HTTP) per event
 * loop, all bound to the same host and port, so Vert.x hands accepted connections to the loops in
 * turn. A single server created outside a verticle runs every connection on one loop, which caps a
 * listener at one core. Each connection stays on the loop that accepted it, as do the sockets it
 * opens from there (the upstream), so a session never crosses threads.
 */
public final class EventLoopServers {

  /** How many event loops {@code vertx} runs: one server per loop. */
  public static int eventLoops(Vertx vertx) {
    EventLoopGroup loops = ((VertxInternal) vertx).getEventLoopGroup();
    return loops instanceof MultithreadEventLoopGroup group
        ? group.executorCount()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /** Creates one server on the calling event loop, listening on {@code port}; yields its port. */
  @FunctionalInterface
  public interface Binder {
    Future<Integer> bind(Vertx vertx, int port);
  }

  private final Vertx vertx;
  private final int port;
  private final Binder binder;
  private final int instances;
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private String deployment;
  private int actualPort;

  /**
   * @param options the listen address and socket options; port 0 picks a free port, which all
   *     servers share
   * @param handler called on the accepting event loop for each connection
   * @param instances how many servers (event loops) share the address
   */
  public EventLoopServers(
      Vertx vertx, NetServerOptions options, Handler<NetSocket> handler, int instances) {
    this(
        vertx,
        options.getPort(),
        (v, port) ->
            v.createNetServer(new NetServerOptions(options).setPort(port))
                .connectHandler(handler)
                .listen()
                .map(NetServer::actualPort),
        instances);
  }

  /**
   * HTTP servers on every event loop.
   *
   * @param requests called on the accepting event loop for each request
   * @param invalid called for requests the HTTP decoder could not read
   */
  public static EventLoopServers http(
      Vertx vertx,
      HttpServerOptions options,
      Handler<HttpServerRequest> requests,
      Handler<HttpServerRequest> invalid,
      int instances) {
    return new EventLoopServers(
        vertx,
        options.getPort(),
        (v, port) ->
            v.createHttpServer(new HttpServerOptions(options).setPort(port))
                .requestHandler(requests)
                .invalidRequestHandler(invalid)
                .listen()
                .map(HttpServer::actualPort),
        instances);
  }

  /**
   * @param port the port; 0 picks a free port, which all servers share
   * @param binder creates one server
   * @param instances how many servers (event loops) share the address
   */
  public EventLoopServers(Vertx vertx, int port, Binder binder, int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1");
    }
    this.vertx = vertx;
    this.port = port;
    this.binder = binder;
    this.instances = instances;
  }

  /**
   * Binds the address; completes with the bound port. For port 0 the servers ask Vert.x for a
   * negative port of their own, which it reads as "one free port, shared by every server that asks
   * for this same negative port"; a plain 0 would give each server a different port.
   */
  public synchronized Future<Integer> listen() {
    int shared = port == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : port;
    int[] bound = new int[1];
    return vertx
        .deployVerticle(
            () -> new Acceptor(shared, binder, bound),
            new DeploymentOptions().setInstances(instances))
        .map(
            id -> {
              int port;
              synchronized (bound) {
                port = bound[0];
              }
              synchronized (this) {
                deployment = id;
                actualPort = port;
              }
              return port;
            });
  }

  /** The bound port, once {@link #listen()} succeeded. */
  public synchronized int actualPort() {
    return actualPort;
  }

  /** Stops accepting on every event loop; open connections are not touched. */
  public Future<Void> close() {
    String id;
    synchronized (this) {
      id = deployment;
      deployment = null;
    }
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  /** One event loop's server; undeploying the verticle closes it. */
  private static final class Acceptor extends AbstractVerticle {

    private final int port;
    private final Binder binder;
    private final int[] bound;

    Acceptor(int port, Binder binder, int[] bound) {
      this.port = port;
      this.binder = binder;
      this.bound = bound;
    }

    @Override
    public void start(Promise<Void> started) {
      binder
          .bind(vertx, port)
          .onSuccess(
              actual -> {
                synchronized (bound) {
                  bound[0] = actual;
                }
                started.complete();
              })
          .onFailure(started::fail);
    }
  }
}
