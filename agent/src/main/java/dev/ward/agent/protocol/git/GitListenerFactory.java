package dev.ward.agent.protocol.git;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.http.HttpListener;

/**
 * Makes listeners for connections of kind {@code git}: a Git server's smart HTTP endpoint, with
 * ref-update guardrails on every push.
 */
public final class GitListenerFactory implements ProtocolListenerFactory {

  @Override
  public String kind() {
    return "git";
  }

  @Override
  public ProtocolListener create(ListenerContext context) {
    HttpListener.check(context.connection());
    return new HttpListener(context, "git", new GitExchanges());
  }
}
