package dev.ward.agent.protocol.http;

import dev.ward.agent.identity.Grant;
import dev.ward.agent.identity.GrantRejectedException;
import dev.ward.agent.protocol.EventLoopServers;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.Verdict;
import dev.ward.proto.channel.v1.Connection;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Listens for HTTP clients of one connection and relays each request to the upstream: the grant
 * (bearer token or basic-auth password) checked and removed, the upstream credential injected, the
 * exchange put to policy, masked and recorded in the session of its grant. What is specific to a
 * protocol carried over HTTP (plain APIs, Git, MCP, LLM APIs) is its {@link ExchangeHandler}.
 */
public final class HttpListener implements ProtocolListener {

  private static final Logger LOG = System.getLogger(HttpListener.class.getName());

  private final String protocol;
  private final ExchangeHandler handler;
  private final HttpSessions sessions;
  // clients of earlier connection versions stay open for their exchanges until stop
  private final List<Object> clients = new ArrayList<>();
  private volatile GatewaySetup setup;
  private EventLoopServers server;
  private long reaper = -1;

  /**
   * @param context the listener context
   * @param protocol the protocol name sessions are recorded under, e.g. {@code http}
   * @param handler what the protocol does with each exchange
   */
  public HttpListener(ListenerContext context, String protocol, ExchangeHandler handler) {
    this.protocol = protocol;
    this.handler = handler;
    this.sessions = new HttpSessions(protocol);
    this.setup = setupFor(context);
  }

  /** Checks a connection's HTTP settings, failing with what is wrong with them. */
  public static void check(Connection connection) {
    UpstreamEndpoint.of(connection);
    HttpLimits.of(connection, dev.ward.agent.protocol.ListenerLimits.defaults());
    UpstreamCredential.check(connection.getCredentialStyle());
  }

  private GatewaySetup setupFor(ListenerContext context) {
    UpstreamEndpoint endpoint = UpstreamEndpoint.of(context.connection());
    HttpLimits limits = HttpLimits.of(context.connection(), context.limits());
    UpstreamCredential.check(context.connection().getCredentialStyle());
    LoopClients client =
        new LoopClients(context.vertx(), endpoint.clientOptions(limits.upstreamConnectTimeout()));
    WebSocketClientOptions ws =
        new WebSocketClientOptions()
            .setConnectTimeout((int) limits.upstreamConnectTimeout().toMillis())
            .setSsl(endpoint.ssl());
    if (endpoint.tls().equals("require")) {
      ws.setTrustAll(true).setVerifyHost(false);
    } else if (endpoint.ssl() && !endpoint.caFile().isEmpty()) {
      ws.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(endpoint.caFile()));
    }
    WebSocketClient webSockets = context.vertx().createWebSocketClient(ws);
    synchronized (clients) {
      clients.add(client);
      clients.add(webSockets);
    }
    return new GatewaySetup(context, endpoint, limits, client, webSockets);
  }

  @Override
  public synchronized Future<Integer> start() {
    GatewaySetup s = setup;
    ListenerContext context = s.context();
    Connection c = context.connection();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(c.getListenHost().isEmpty() ? "127.0.0.1" : c.getListenHost())
            .setPort(c.getListenPort())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)
            .setMaxHeaderSize(s.limits().maxHeaderBytes())
            .setMaxInitialLineLength(s.limits().maxInitialLine())
            .setHandle100ContinueAutomatically(true)
            .setIdleTimeout(300)
            .setMaxWebSocketFrameSize(1024 * 1024)
            .setMaxWebSocketMessageSize(16 * 1024 * 1024);
    boolean ssl = context.tls() != null && !c.getAllowPlaintextGrant();
    if (ssl) {
      options.setSsl(true).setKeyCertOptions(context.tls().keyCertOptions());
    }
    EventLoopServers created =
        EventLoopServers.http(
            context.vertx(),
            options,
            request -> accept(request, ssl),
            HttpListener::invalid,
            EventLoopServers.eventLoops(context.vertx()));
    return created
        .listen()
        .map(
            port -> {
              synchronized (this) {
                server = created;
                if (reaper < 0) {
                  long every = Math.max(250, s.limits().sessionIdle().toMillis() / 4);
                  reaper =
                      context
                          .vertx()
                          .setPeriodic(
                              every, id -> sessions.reap(setup.limits().sessionIdle().toNanos()));
                }
              }
              LOG.log(
                  Level.INFO,
                  "{0} connection {1} listening on {2}:{3}",
                  protocol,
                  c.getName(),
                  options.getHost(),
                  String.valueOf(port));
              return port;
            });
  }

  private void accept(HttpServerRequest request, boolean ssl) {
    request.pause();
    GatewaySetup s = setup;
    Connection c = s.context().connection();
    if (!ssl && !c.getAllowPlaintextGrant()) {
      new Problem(
              403,
              "tls-required",
              "TLS required",
              "This connection accepts grants only over TLS; use https:// with the agent's"
                  + " certificate authority.")
          .send(request.response());
      drain(request);
      return;
    }
    Optional<String> token = GrantToken.from(request.headers());
    if (token.isEmpty()) {
      new Problem(
              401,
              "grant-required",
              "Ward grant required",
              "Send your Ward grant as a bearer token (Authorization: Bearer <grant>) or as the"
                  + " basic-auth password; `ward connect "
                  + c.getName()
                  + "` gives you one.")
          .send(request.response());
      drain(request);
      return;
    }
    Grant grant;
    try {
      grant = s.context().grants().verify(token.get(), c.getId());
    } catch (GrantRejectedException e) {
      new Problem(
              401,
              "grant-rejected",
              "Ward grant rejected",
              "Ward refused the grant: "
                  + e.getMessage()
                  + ". Get a new one with `ward connect "
                  + c.getName()
                  + "`.")
          .send(request.response());
      drain(request);
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null && tooLong(length, s.limits().maxRequestBody())) {
      new Problem(
              413,
              "body-too-large",
              "Request body too large",
              "This connection accepts request bodies of at most "
                  + s.limits().maxRequestBody()
                  + " bytes.")
          .send(request.response());
      request.connection().close();
      return;
    }
    open(s, grant, request, true);
  }

  private void open(GatewaySetup s, Grant grant, HttpServerRequest request, boolean retry) {
    // A grant's session future completed on the loop that opened it; its callbacks would run
    // there. Every exchange continues on the loop of its own client connection instead.
    Context loop = Vertx.currentContext();
    Future<HttpSession> opened = sessions.sessionFor(s.context(), s.endpoint(), grant, request);
    Promise<HttpSession> here = Promise.promise();
    if (opened.isComplete()) {
      here.handle(opened);
    } else if (loop == null) {
      opened.onComplete(here);
    } else {
      opened.onComplete(r -> loop.runOnContext(v -> here.handle(r)));
    }
    here.future()
        .onFailure(
            e -> {
              if (e instanceof HttpSessions.Refused refused) {
                refused.problem.send(request.response());
                drain(request);
              } else {
                LOG.log(Level.ERROR, "Could not open a session: {0}", e.toString());
                new Problem(500, "agent-error", "Agent error", "Ward could not open the session.")
                    .send(request.response());
              }
            })
        .onSuccess(
            session -> {
              if (!session.begin()) {
                // the session was ended as idle just now; the next one opens fresh
                if (retry) {
                  open(s, grant, request, false);
                }
                return;
              }
              if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                Verdict verdict = session.policy().inspectRequest("GET", request.uri());
                if (!verdict.allowed()) {
                  new HttpExchange(s, request, session).refuse(verdict);
                } else {
                  new WebSocketRelay(s, request, session).start();
                }
                return;
              }
              try {
                handler.handle(new HttpExchange(s, request, session));
              } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Exchange handler failed: {0}", e.toString());
                new Problem(500, "agent-error", "Agent error", "Ward could not handle the request.")
                    .send(request.response());
              }
            });
  }

  /** Reads and drops the body of a request answered early, so its connection stays usable. */
  private static void drain(HttpServerRequest request) {
    request.handler(b -> {});
    request.resume();
  }

  private static boolean tooLong(String contentLength, long max) {
    try {
      return Long.parseLong(contentLength.strip()) > max;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Requests the HTTP decoder could not read: answered with a problem, then closed. */
  private static void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongFrameException) {
      String message = String.valueOf(cause.getMessage());
      problem =
          message.contains("header")
              ? new Problem(
                  431,
                  "headers-too-large",
                  "Request headers too large",
                  "The request's headers are larger than this connection accepts.")
              : new Problem(
                  414,
                  "request-line-too-long",
                  "Request line too long",
                  "The request line (method, path and query) is longer than this connection"
                      + " accepts.");
    } else {
      problem =
          new Problem(
              400,
              "malformed-request",
              "Malformed HTTP request",
              "Ward could not read the request as HTTP/1.1 or HTTP/2.");
    }
    request.response().putHeader("Connection", "close");
    problem.send(request.response());
    request.response().endHandler(v -> request.connection().close());
  }

  @Override
  public Future<Void> update(Connection connection) {
    GatewaySetup current = setup;
    Connection old = current.context().connection();
    GatewaySetup next =
        setupFor(current.context().withConnection(connection, current.context().configVersion()));
    boolean rebind =
        !old.getListenHost().equals(connection.getListenHost())
            || old.getListenPort() != connection.getListenPort()
            || old.getAllowPlaintextGrant() != connection.getAllowPlaintextGrant()
            || !old.getOptionsMap().equals(connection.getOptionsMap());
    setup = next;
    if (!rebind) {
      return Future.succeededFuture();
    }
    EventLoopServers previous;
    synchronized (this) {
      previous = server;
    }
    Future<Void> closed = previous == null ? Future.succeededFuture() : previous.close();
    return closed.compose(v -> start()).<Void>mapEmpty().onFailure(e -> setup = current);
  }

  @Override
  public Future<Void> stop() {
    EventLoopServers s;
    synchronized (this) {
      s = server;
      server = null;
      if (reaper >= 0) {
        setup.context().vertx().cancelTimer(reaper);
        reaper = -1;
      }
    }
    sessions.closeAll("agent-shutdown");
    Future<Void> closed = s == null ? Future.succeededFuture() : s.close();
    return closed.eventually(
        () -> {
          List<Object> all;
          synchronized (clients) {
            all = List.copyOf(clients);
            clients.clear();
          }
          List<Future<Void>> closing = new ArrayList<>();
          for (Object client : all) {
            if (client instanceof LoopClients h) {
              closing.add(h.close());
            } else if (client instanceof WebSocketClient w) {
              closing.add(w.close());
            }
          }
          return Future.join(closing).mapEmpty();
        });
  }

  @Override
  public Connection connection() {
    return setup.context().connection();
  }

  /** How many grant sessions are open. */
  public int openSessions() {
    return sessions.size();
  }
}
