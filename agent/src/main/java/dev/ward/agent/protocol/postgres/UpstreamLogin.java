package dev.ward.agent.protocol.postgres;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Opens the agent's own session with the upstream: TLS when the connection asks for it, the startup
 * packet, and the upstream's authentication (SCRAM-SHA-256, md5 or cleartext) with the injected
 * secret. The exchange stays between agent and upstream; the client only learns the outcome.
 */
final class UpstreamLogin {

  /**
   * An upstream session ready for queries.
   *
   * @param socket the upstream socket, paused
   * @param framer its framer, holding any bytes that followed ReadyForQuery
   * @param parameterStatuses the ParameterStatus messages to pass on to the client
   * @param processId the upstream backend's process id, for cancel requests
   * @param secretKey the upstream backend's cancel key
   */
  record Link(
      NetSocket socket,
      MessageFramer framer,
      List<Buffer> parameterStatuses,
      List<Buffer> notices,
      int processId,
      int secretKey,
      char transactionStatus) {}

  private static final String LOGIN_FAILED_HINT =
      "The Ward agent could not sign in to the database with the credentials it holds for this"
          + " connection. Ask your Ward administrator to check the connection's secret.";

  private final Promise<Link> result = Promise.promise();
  private final NetSocket socket;
  private final UpstreamTarget target;
  private final String user;
  private final String secret;
  private final MessageFramer framer;
  private final List<Buffer> statuses = new ArrayList<>();
  private final List<Buffer> notices = new ArrayList<>();
  private ScramClient scram;
  private int processId;
  private int secretKey;

  private UpstreamLogin(
      NetSocket socket, UpstreamTarget target, String user, String secret, int maxMessage) {
    this.socket = socket;
    this.target = target;
    this.user = user;
    this.secret = secret;
    this.framer = new MessageFramer(true, maxMessage);
  }

  /**
   * Connects and logs in.
   *
   * @param parameters the startup parameters to send (user and database included)
   * @param secret the upstream password
   */
  static Future<Link> open(
      Vertx vertx,
      NetClient client,
      UpstreamTarget target,
      Map<String, String> parameters,
      String secret,
      int maxMessage,
      Duration timeout) {
    return client
        .connect(target.port(), target.host())
        .recover(
            e ->
                Future.failedFuture(
                    new UpstreamLoginException(
                        "cannot reach upstream " + target.host() + ":" + target.port() + ": " + e,
                        unavailable())))
        .compose(
            socket -> {
              UpstreamLogin login =
                  new UpstreamLogin(socket, target, parameters.get("user"), secret, maxMessage);
              long timer =
                  vertx.setTimer(
                      timeout.toMillis(),
                      t ->
                          login.fail(
                              new UpstreamLoginException(
                                  "upstream login did not finish within " + timeout,
                                  unavailable())));
              login.start(parameters);
              return login.result.future().onComplete(r -> vertx.cancelTimer(timer));
            });
  }

  /** Forwards a client's cancel request to the upstream backend it maps to. */
  static Future<Void> cancel(NetClient client, UpstreamTarget target, int processId, int key) {
    return client
        .connect(target.port(), target.host())
        .compose(
            socket -> {
              Future<Void> ready =
                  target.usesTls() ? negotiateTls(socket, target) : Future.succeededFuture();
              return ready
                  .compose(v -> socket.write(FrontendMessages.cancelRequest(processId, key)))
                  .onComplete(r -> socket.close());
            });
  }

  private void start(Map<String, String> parameters) {
    socket.exceptionHandler(e -> fail(new UpstreamLoginException("upstream: " + e, unavailable())));
    socket.closeHandler(
        v ->
            fail(
                new UpstreamLoginException(
                    "upstream closed the connection during login", unavailable())));
    Future<Void> ready = target.usesTls() ? negotiateTls(socket, target) : Future.succeededFuture();
    ready
        .onSuccess(
            v -> {
              socket.handler(this::onData);
              socket.write(FrontendMessages.startup(parameters));
            })
        .onFailure(
            e ->
                fail(
                    new UpstreamLoginException(
                        "TLS with upstream failed: " + e.getMessage(), unavailable())));
  }

  private static Future<Void> negotiateTls(NetSocket socket, UpstreamTarget target) {
    Promise<Void> done = Promise.promise();
    socket.handler(
        answer -> {
          socket.handler(null);
          if (answer.length() != 1) {
            done.tryFail("upstream sent unexpected bytes in answer to SSLRequest");
          } else if (answer.getByte(0) != 'S') {
            done.tryFail("upstream does not offer TLS");
          } else {
            socket.upgradeToSsl(target.host()).onComplete(done);
          }
        });
    socket.write(FrontendMessages.sslRequest());
    return done.future();
  }

  private void onData(Buffer chunk) {
    try {
      framer.feed(chunk, this::onMessage);
    } catch (ProtocolViolation e) {
      fail(new UpstreamLoginException("upstream login: " + e.getMessage(), loginFailed()));
    }
  }

  private boolean onMessage(byte type, Buffer message) {
    switch (type) {
      case 'R' -> authenticate(message);
      case 'S' -> statuses.add(message);
      case 'N' -> notices.add(message);
      case 'K' -> {
        Wire.require(message, 5, 8);
        processId = message.getInt(5);
        secretKey = message.getInt(9);
      }
      case 'Z' -> {
        socket.pause();
        socket.handler(null);
        socket.exceptionHandler(null);
        socket.closeHandler(null);
        result.tryComplete(
            new Link(
                socket,
                framer,
                statuses,
                notices,
                processId,
                secretKey,
                (char) message.getByte(5)));
        return false;
      }
      case 'E' -> {
        ServerError error = ServerError.parse(message, StandardCharsets.UTF_8);
        boolean authError = error.sqlstate().startsWith("28");
        fail(
            new UpstreamLoginException(
                "upstream refused the session: " + error.sqlstate() + " " + error.message(),
                authError ? loginFailed() : message.copy()));
        return false;
      }
      case 'v' -> {
        // we only ask for protocol 3.0 without options; nothing to adapt
      }
      default ->
          throw new ProtocolViolation("unexpected message '" + (char) type + "' during login");
    }
    return true;
  }

  private void authenticate(Buffer message) {
    Wire.require(message, 5, 4);
    int code = message.getInt(5);
    try {
      switch (code) {
        case 0 -> {}
        case 3 -> socket.write(FrontendMessages.password(secret));
        case 5 -> {
          Wire.require(message, 9, 4);
          socket.write(FrontendMessages.password(md5(user, secret, message.getBytes(9, 13))));
        }
        case 10 -> {
          List<String> mechanisms = new ArrayList<>();
          int pos = 9;
          while (pos < message.length() && message.getByte(pos) != 0) {
            int end = Wire.endOfString(message, pos);
            mechanisms.add(new String(message.getBytes(pos, end), StandardCharsets.US_ASCII));
            pos = end + 1;
          }
          if (!mechanisms.contains(ScramClient.MECHANISM)) {
            throw new GeneralSecurityException("upstream offers no SCRAM-SHA-256: " + mechanisms);
          }
          scram = new ScramClient(secret);
          socket.write(
              FrontendMessages.saslInitialResponse(ScramClient.MECHANISM, scram.clientFirst()));
        }
        case 11 -> {
          requireScram();
          socket.write(
              FrontendMessages.saslResponse(
                  scram.clientFinal(message.getBytes(9, message.length()))));
        }
        case 12 -> {
          requireScram();
          scram.verifyServerFinal(message.getBytes(9, message.length()));
        }
        default ->
            throw new GeneralSecurityException(
                "upstream asks for an authentication method Ward does not support (" + code + ")");
      }
    } catch (GeneralSecurityException e) {
      throw new ProtocolViolation(e.getMessage());
    }
  }

  private void requireScram() throws GeneralSecurityException {
    if (scram == null) {
      throw new GeneralSecurityException("SASL continuation without a SASL start");
    }
  }

  static String md5(String user, String password, byte[] salt) throws GeneralSecurityException {
    MessageDigest md = MessageDigest.getInstance("MD5");
    String inner =
        HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
    md.update(inner.getBytes(StandardCharsets.US_ASCII));
    md.update(salt);
    return "md5" + HexFormat.of().formatHex(md.digest());
  }

  private void fail(UpstreamLoginException e) {
    if (result.tryFail(e)) {
      socket.close();
    }
  }

  private static Buffer loginFailed() {
    return BackendMessages.error(
        "FATAL", "28000", "Ward could not sign in to the upstream database", LOGIN_FAILED_HINT);
  }

  static Buffer unavailable() {
    return BackendMessages.error(
        "FATAL",
        "08006",
        "Ward could not reach the upstream database",
        "The database behind this Ward connection is not reachable from the Ward agent; try again"
            + " later or ask your Ward administrator.");
  }
}
