package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.Verdict;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes {@link HttpListener}s for connections of kind {@code http}: internal HTTP APIs, with
 * guardrails on method and path.
 */
public final class HttpListenerFactory implements ProtocolListenerFactory {

  /**
   * Plain HTTP APIs: policy decides on method and path; everything else is the listener's. A held
   * request is read whole first (within the buffering bound), so the approval covers its body (by
   * SHA-256; approvers see method and path), and goes upstream only once approved.
   */
  public static final ExchangeHandler API =
      exchange -> {
        String method = exchange.request().method().name();
        String uri = exchange.request().uri();
        Verdict verdict = exchange.policy().inspectRequest(method, uri);
        if (verdict.allowed()) {
          exchange.forward(Buffer.buffer());
        } else if (verdict.action() != Verdict.Action.HOLD) {
          exchange.refuse(verdict);
        } else {
          exchange
              .readBody()
              .onSuccess(
                  body ->
                      exchange.awaitApproval(
                          verdict,
                          new Operation(
                              "http",
                              method + " " + uri,
                              body.length() == 0
                                  ? List.of()
                                  : List.of("body sha256 " + sha256(body))),
                          () -> exchange.forward(body),
                          (hold, outcome) -> exchange.refuseHeld(verdict, hold, outcome),
                          () -> exchange.refuse(verdict)));
        }
      };

  static String sha256(Buffer body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public ProtocolListener create(ListenerContext context) {
    HttpListener.check(context.connection());
    return new HttpListener(context, "http", API);
  }
}
