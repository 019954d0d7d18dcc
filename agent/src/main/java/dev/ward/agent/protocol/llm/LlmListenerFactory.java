package dev.ward.agent.protocol.llm;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.http.HttpListener;

/**
 * Makes listeners for connections of kind {@code llm}: the agent fronts an OpenAI- or
 * Anthropic-compatible model API, injecting the provider key so the engineer's tool only ever holds
 * a Ward grant.
 */
public final class LlmListenerFactory implements ProtocolListenerFactory {

  @Override
  public String kind() {
    return "llm";
  }

  @Override
  public ProtocolListener create(ListenerContext context) {
    HttpListener.check(context.connection());
    return new HttpListener(context, "llm", new LlmHandler());
  }
}
