package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.Verdict;

/**
 * Makes {@link HttpListener}s for connections of kind {@code http}: internal HTTP APIs, with
 * guardrails on method and path.
 */
public final class HttpListenerFactory implements ProtocolListenerFactory {

  /** Plain HTTP APIs: policy decides on method and path; everything else is the listener's. */
  public static final ExchangeHandler API =
      exchange -> {
        Verdict verdict =
            exchange
                .policy()
                .inspectRequest(exchange.request().method().name(), exchange.request().uri());
        if (verdict.allowed()) {
          exchange.forward(io.vertx.core.buffer.Buffer.buffer());
        } else {
          exchange.refuse(verdict);
        }
      };

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
