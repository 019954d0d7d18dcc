package dev.ward.agent.protocol.postgres;

import dev.ward.agent.identity.Grant;
import dev.ward.agent.identity.GrantRejectedException;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A client from its first byte until its session is relayed: TLS negotiation, cancel requests, the
 * startup packet, the grant presented as password, the recording's start, and the agent's own login
 * upstream. Bounded in time and message size; anything malformed ends it with an ErrorResponse.
 */
final class ClientHandshake {

  private static final Logger LOG = System.getLogger(ClientHandshake.class.getName());

  /** SQLSTATE invalid_authorization_specification: the user may not use this connection. */
  private static final String INVALID_AUTHORIZATION = "28000";

  /** SQLSTATE cannot_connect_now: the session may be tried again later. */
  private static final String CANNOT_CONNECT_NOW = "57P03";

  private enum Phase {
    STARTUP,
    PASSWORD,
    CONNECTING,
    DONE
  }

  private final SessionSetup setup;
  private final ListenerContext context;
  private final Connection connection;
  private final NetSocket client;
  private final MessageFramer framer;
  private final Runnable closer = this::abort;
  private final Context eventLoop = Vertx.currentContext();
  private Phase phase = Phase.STARTUP;
  private boolean tls;
  private boolean tlsRequested;
  private long timer;
  private Map<String, String> parameters = Map.of();

  ClientHandshake(SessionSetup setup, NetSocket client) {
    this.setup = setup;
    this.context = setup.context();
    this.connection = context.connection();
    this.client = client;
    this.framer = new MessageFramer(false, context.limits().maxHandshakeMessage());
  }

  void start() {
    setup.sessions().add(closer);
    timer =
        context
            .vertx()
            .setTimer(
                context.limits().handshakeTimeout().toMillis(),
                t ->
                    fail(
                        "08006",
                        "Ward closed the connection: the client did not finish signing in within "
                            + context.limits().handshakeTimeout().toSeconds()
                            + " s",
                        ""));
    client.handler(this::onData);
    client.exceptionHandler(e -> close());
    client.closeHandler(v -> close());
  }

  private void onData(Buffer chunk) {
    try {
      framer.feed(chunk, this::onMessage);
      if (tlsRequested) {
        tlsRequested = false;
        startTls();
      }
    } catch (ProtocolViolation e) {
      fail("08P01", "Ward could not read the client's message: " + e.getMessage(), "");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Unexpected failure during a PostgreSQL handshake", e);
      fail("08P01", "Ward could not read the client's message", "");
    }
  }

  private boolean onMessage(byte type, Buffer message) {
    return switch (phase) {
      case STARTUP -> startupMessage(message);
      case PASSWORD -> passwordMessage(type, message);
      default -> throw new ProtocolViolation("unexpected message before the session is ready");
    };
  }

  private boolean startupMessage(Buffer message) {
    StartupRequest request = StartupRequest.parse(message);
    switch (request.code()) {
      case FrontendMessages.SSL_REQUEST -> {
        if (tls || context.tls() == null) {
          client.write(BackendMessages.SSL_DECLINED);
          return true;
        }
        // answered once this read is processed: see onData
        tlsRequested = true;
        return false;
      }
      case FrontendMessages.GSSENC_REQUEST -> {
        client.write(BackendMessages.SSL_DECLINED);
        return true;
      }
      case FrontendMessages.CANCEL_REQUEST -> {
        cancel(message);
        return false;
      }
      default -> {
        if (!request.isProtocol3()) {
          fail(
              "0A000",
              "Ward supports protocol 3 only; the client asked for "
                  + (request.code() >>> 16)
                  + "."
                  + request.minorVersion(),
              "");
          return false;
        }
        return startup(request);
      }
    }
  }

  private void startTls() {
    if (framer.hasPending()) {
      // bytes sent before the TLS handshake could have been injected by a man in the middle
      throw new ProtocolViolation("unencrypted data after SSLRequest");
    }
    client.write(BackendMessages.SSL_ACCEPTED);
    client.pause();
    client
        .upgradeToSsl()
        .onSuccess(
            v -> {
              tls = true;
              client.resume();
            })
        .onFailure(e -> close());
  }

  private boolean startup(StartupRequest request) {
    if (!tls && !connection.getAllowPlaintextGrant()) {
      fail(
          "28000",
          "Ward requires TLS on this connection, so the grant is never sent in the clear",
          "Connect with sslmode=require, or sslmode=verify-full with the Ward agent's CA"
              + " certificate as sslrootcert.");
      return false;
    }
    String replication = request.parameters().getOrDefault("replication", "false");
    if (!List.of("false", "off", "no", "0").contains(replication.toLowerCase(Locale.ROOT))) {
      fail("0A000", "Ward does not relay replication connections", "");
      return false;
    }
    List<String> unrecognized = new ArrayList<>();
    Map<String, String> kept = new LinkedHashMap<>();
    request
        .parameters()
        .forEach(
            (k, v) -> {
              if (k.startsWith("_pq_.")) {
                unrecognized.add(k);
              } else {
                kept.put(k, v);
              }
            });
    parameters = kept;
    if (request.minorVersion() > 0 || !unrecognized.isEmpty()) {
      client.write(BackendMessages.negotiateProtocolVersion(0, unrecognized));
    }
    framer.typed(true);
    phase = Phase.PASSWORD;
    client.write(BackendMessages.authenticationCleartextPassword());
    return true;
  }

  private boolean passwordMessage(byte type, Buffer message) {
    if (type != 'p') {
      throw new ProtocolViolation("expected a password message, got '" + (char) type + "'");
    }
    String token = Wire.string(message, 5, StandardCharsets.UTF_8);
    Grant grant;
    try {
      grant = context.grants().verify(token, connection.getId());
    } catch (GrantRejectedException e) {
      LOG.log(
          Level.INFO,
          "Grant rejected on connection {0} from {1}: {2}",
          connection.getName(),
          client.remoteAddress(),
          e.reason());
      fail(
          "28P01",
          "Ward did not accept the grant: " + e.getMessage(),
          "Run `ward connect "
              + connection.getName()
              + "` to get a new grant, and use it as the password.");
      return false;
    }
    phase = Phase.CONNECTING;
    // the client's part is done; the upstream login has a timeout of its own
    context.vertx().cancelTimer(timer);
    client.pause();
    connect(grant);
    // the rest, if any, waits in the framer for the relay
    return false;
  }

  private void connect(Grant grant) {
    if (!context.admitsNewSessions()) {
      refuseOffline(grant);
      return;
    }
    String database =
        connection.getDatabase().isEmpty()
            ? parameters.getOrDefault("database", connection.getUsername())
            : connection.getDatabase();
    SessionStart start =
        SessionStart.newBuilder()
            .setSessionId(UUID.randomUUID().toString())
            .setTenantId(context.tenantId() == null ? "" : context.tenantId())
            .setAgentId(context.agentId() == null ? "" : context.agentId())
            .setConnectionId(connection.getId())
            .setConnectionName(connection.getName())
            .setProtocol("postgres")
            .setIdentity(
                Identity.newBuilder()
                    .setSubject(grant.subject())
                    .setEmail(grant.email())
                    .addAllGroups(grant.groups())
                    .setActor(grant.actor())
                    .setOwner(grant.owner())
                    .setGrantId(grant.grantId())
                    .setWorkSessionId(grant.workSessionId()))
            .setPolicyId(connection.getPolicyId())
            .setConfigVersion(context.configVersion())
            .setClientAddress(String.valueOf(client.remoteAddress()))
            .setClientApplication(parameters.getOrDefault("application_name", ""))
            .setTarget(setup.target().host() + ":" + setup.target().port() + "/" + database)
            .build();
    SessionPolicy policy = context.policies().open(start);
    Optional<String> refusal = policy.refusal();
    if (refusal.isPresent()) {
      refuseAccess(grant, refusal.get());
      return;
    }
    Map<String, String> upstreamParameters = new LinkedHashMap<>(parameters);
    upstreamParameters.remove("user");
    upstreamParameters.remove("database");
    upstreamParameters.remove("replication");
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("user", connection.getUsername());
    sent.put("database", database);
    sent.putAll(upstreamParameters);
    boolean strict = "strict".equals(connection.getRecordingMode());
    Future<RecordedSession> recording =
        context
            .vertx()
            .executeBlocking(
                () -> {
                  try {
                    return context.recorder().open(start, strict);
                  } catch (RecordingUnavailableException e) {
                    throw new RecordingRefused(e);
                  }
                },
                false);
    recording
        .compose(
            session ->
                context
                    .vertx()
                    .executeBlocking(
                        () -> UpstreamSecret.resolve(connection.getSecretRef(), System.getenv()),
                        false)
                    .recover(
                        e -> {
                          LOG.log(
                              Level.ERROR,
                              "Connection {0}: upstream secret unavailable: {1}",
                              connection.getName(),
                              e.getMessage());
                          return Future.failedFuture(
                              new UpstreamLoginException(
                                  e.getMessage(), UpstreamLogin.unavailable()));
                        })
                    .compose(
                        secret ->
                            UpstreamLogin.open(
                                    context.vertx(),
                                    setup.upstreamClient(),
                                    setup.target(),
                                    sent,
                                    secret,
                                    context.limits().maxMessage(),
                                    context.limits().upstreamConnectTimeout())
                                .map(
                                    link ->
                                        new Opened(session, link, sideConnection(sent, secret))))
                    .onFailure(
                        e ->
                            session.close(
                                SessionEnd.newBuilder().setReason("upstream-error").build())))
        .onSuccess(
            opened ->
                relay(
                    policy,
                    opened.recording(),
                    opened.link(),
                    new SessionRelay.Catalog(
                        setup.tableNames(), sent.get("database"), opened.sideConnection())))
        .onFailure(this::connectFailed);
  }

  /** The control plane is unreachable and the connection is fail-closed: no new sessions. */
  private void refuseOffline(Grant grant) {
    LOG.log(
        Level.WARNING,
        "Connection {0}: new session of {1} refused, the control plane is unreachable and the"
            + " connection is fail-closed",
        connection.getName(),
        grant.subject());
    fail(
        CANNOT_CONNECT_NOW,
        "Ward: connection "
            + connection.getName()
            + " admits no new sessions while the agent cannot reach the Ward control plane"
            + " (offline mode fail-closed)",
        "Try again in a moment; sessions already open continue. An administrator can set the"
            + " connection's offline mode to fail-open to admit sessions under the last policy"
            + " while the control plane is unreachable.");
  }

  /** Policy refuses this user the connection: say so and close, before anything goes upstream. */
  private void refuseAccess(Grant grant, String reason) {
    LOG.log(
        Level.INFO,
        "Access to connection {0} refused to {1}: {2}",
        connection.getName(),
        grant.subject(),
        reason);
    fail(
        INVALID_AUTHORIZATION,
        "Ward: you may not use connection " + connection.getName() + ": " + reason,
        "Ask your Ward administrator for an access rule on connection "
            + connection.getName()
            + " for one of your groups"
            + (grant.groups().isEmpty() ? "" : " (" + String.join(", ", grant.groups()) + ")")
            + ".");
  }

  private void relay(
      SessionPolicy policy,
      RecordedSession recording,
      UpstreamLogin.Link link,
      SessionRelay.Catalog catalog) {
    if (phase != Phase.CONNECTING) {
      // the client went away while the agent was connecting
      link.socket().close();
      recording.close(SessionEnd.newBuilder().setReason("client-disconnect").build());
      return;
    }
    phase = Phase.DONE;
    context.vertx().cancelTimer(timer);
    setup.sessions().remove(closer);
    CancelKeys.Entry key =
        setup.cancelKeys().register(setup.target(), link.processId(), link.secretKey());
    client.write(BackendMessages.authenticationOk());
    link.parameterStatuses().forEach(client::write);
    link.notices().forEach(client::write);
    client.write(BackendMessages.backendKeyData(key.processId(), key.secret()));
    client.write(BackendMessages.readyForQuery(link.transactionStatus()));
    new SessionRelay(setup, client, framer, link, recording, new PolicyGate(policy), key, catalog)
        .start();
  }

  private void connectFailed(Throwable e) {
    if (e instanceof RecordingRefused refused) {
      LOG.log(
          Level.ERROR,
          "Connection {0}: recording unavailable, session refused: {1}",
          connection.getName(),
          refused.getCause().getMessage());
      fail(
          "08004",
          "Ward cannot record this session, and this connection requires every session to be"
              + " recorded",
          "Try again in a moment; if it persists, ask your Ward administrator.");
    } else if (e instanceof UpstreamLoginException login) {
      LOG.log(Level.WARNING, "Connection {0}: {1}", connection.getName(), login.getMessage());
      finish(login.clientError());
    } else {
      LOG.log(Level.WARNING, "Connection " + connection.getName() + ": session setup failed", e);
      finish(UpstreamLogin.unavailable());
    }
  }

  private void cancel(Buffer message) {
    Wire.require(message, 8, 8);
    CancelKeys.Entry entry = setup.cancelKeys().find(message.getInt(8), message.getInt(12));
    if (entry != null) {
      // a statement held for approval is not upstream yet: withdraw its request
      setup.cancelKeys().cancelled(entry);
      UpstreamLogin.cancel(
          setup.upstreamClient(),
          entry.target(),
          entry.upstreamProcessId(),
          entry.upstreamSecret());
    }
    // PostgreSQL answers a cancel request with nothing but closing the connection
    close();
  }

  private void fail(String sqlstate, String message, String hint) {
    finish(BackendMessages.error("FATAL", sqlstate, message, hint));
  }

  private void finish(Buffer error) {
    if (phase == Phase.DONE) {
      return;
    }
    phase = Phase.DONE;
    client.write(error).onComplete(r -> client.close());
    cleanup();
  }

  private void close() {
    if (phase != Phase.DONE) {
      phase = Phase.DONE;
      client.close();
    }
    cleanup();
  }

  private void abort() {
    eventLoop.runOnContext(v -> close());
  }

  private void cleanup() {
    context.vertx().cancelTimer(timer);
    setup.sessions().remove(closer);
  }

  private record Opened(
      RecordedSession recording,
      UpstreamLogin.Link link,
      Supplier<Future<UpstreamLogin.Link>> sideConnection) {}

  /** Opens another upstream session as this one was opened, e.g. to read the catalog. */
  private Supplier<Future<UpstreamLogin.Link>> sideConnection(
      Map<String, String> sent, String secret) {
    Map<String, String> parameters = new LinkedHashMap<>(sent);
    parameters.put("application_name", "ward-agent catalog");
    return () ->
        UpstreamLogin.open(
            context.vertx(),
            setup.upstreamClient(),
            setup.target(),
            parameters,
            secret,
            context.limits().maxMessage(),
            context.limits().upstreamConnectTimeout());
  }

  /** The recorder refused a strict session. */
  private static final class RecordingRefused extends RuntimeException {
    RecordingRefused(RecordingUnavailableException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
