package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.EventLoopServers;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens for PostgreSQL clients of one connection and gives each a session: the grant checked, the
 * upstream reached with injected credentials, every statement put to policy and recorded.
 */
public final class PostgresListener implements ProtocolListener {

  private static final Logger LOG = System.getLogger(PostgresListener.class.getName());

  private final CancelKeys cancelKeys = new CancelKeys();
  private final OpenSessions sessions = new OpenSessions();
  // clients of earlier connection versions stay open for their sessions until stop
  private final List<NetClient> upstreamClients = new ArrayList<>();
  private volatile SessionSetup setup;
  private EventLoopServers server;

  public PostgresListener(ListenerContext context) {
    this.setup = setupFor(context);
  }

  private SessionSetup setupFor(ListenerContext context) {
    UpstreamTarget target = UpstreamTarget.of(context.connection());
    NetClient client =
        context
            .vertx()
            .createNetClient(target.clientOptions(context.limits().upstreamConnectTimeout()));
    synchronized (upstreamClients) {
      upstreamClients.add(client);
    }
    return new SessionSetup(context, target, client, cancelKeys, sessions, new TableNames());
  }

  @Override
  public synchronized Future<Integer> start() {
    ListenerContext context = setup.context();
    Connection c = context.connection();
    NetServerOptions options =
        new NetServerOptions()
            .setHost(c.getListenHost().isEmpty() ? "127.0.0.1" : c.getListenHost())
            .setPort(c.getListenPort())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true);
    if (context.tls() != null) {
      // TLS starts only after the client's SSLRequest, so the server itself is not TLS
      options.setKeyCertOptions(context.tls().keyCertOptions()).setSsl(false);
    }
    EventLoopServers created =
        new EventLoopServers(
            context.vertx(), options, this::accept, EventLoopServers.eventLoops(context.vertx()));
    Future<Void> warm =
        context.tls() == null
            ? Future.succeededFuture()
            : context
                .vertx()
                .executeBlocking(
                    () -> {
                      context.tls().warmUp();
                      return null;
                    },
                    false);
    return warm.compose(v -> created.listen())
        .map(
            port -> {
              synchronized (this) {
                server = created;
              }
              LOG.log(
                  Level.INFO,
                  "PostgreSQL connection {0} listening on {1}:{2}",
                  c.getName(),
                  options.getHost(),
                  String.valueOf(port));
              return port;
            });
  }

  private void accept(NetSocket socket) {
    new ClientHandshake(setup, socket).start();
  }

  @Override
  public Future<Void> update(Connection connection) {
    ListenerContext current = setup.context();
    Connection old = current.connection();
    SessionSetup next = setupFor(current.withConnection(connection, current.configVersion()));
    boolean rebind =
        !old.getListenHost().equals(connection.getListenHost())
            || old.getListenPort() != connection.getListenPort();
    if (!rebind) {
      setup = next;
      return Future.succeededFuture();
    }
    EventLoopServers previous;
    synchronized (this) {
      previous = server;
    }
    SessionSetup kept = setup;
    setup = next;
    Future<Void> closed = previous == null ? Future.succeededFuture() : previous.close();
    return closed.compose(v -> start()).<Void>mapEmpty().onFailure(e -> setup = kept);
  }

  @Override
  public Future<Void> stop() {
    EventLoopServers s;
    synchronized (this) {
      s = server;
      server = null;
    }
    sessions.closeAll();
    Future<Void> closed = s == null ? Future.succeededFuture() : s.close();
    return closed.eventually(
        () -> {
          List<NetClient> clients;
          synchronized (upstreamClients) {
            clients = List.copyOf(upstreamClients);
            upstreamClients.clear();
          }
          return Future.join(clients.stream().map(NetClient::close).toList()).mapEmpty();
        });
  }

  @Override
  public Connection connection() {
    return setup.context().connection();
  }

  /** How many client sessions are open (handshaking or relaying). */
  public int openSessions() {
    return sessions.size();
  }
}
