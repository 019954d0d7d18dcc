package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;

/** Makes {@link PostgresListener}s for connections of kind {@code postgres}. */
public final class PostgresListenerFactory implements ProtocolListenerFactory {

  @Override
  public String kind() {
    return "postgres";
  }

  @Override
  public ProtocolListener create(ListenerContext context) {
    UpstreamTarget.of(context.connection());
    if (context.connection().getUsername().isEmpty()) {
      throw new IllegalArgumentException(
          "connection " + context.connection().getName() + ": username is required");
    }
    return new PostgresListener(context);
  }
}
