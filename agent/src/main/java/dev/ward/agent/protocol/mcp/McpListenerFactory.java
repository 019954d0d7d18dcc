package dev.ward.agent.protocol.mcp;

import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.http.HttpListener;

/**
 * Makes listeners for connections of kind {@code mcp}: an MCP server's Streamable HTTP endpoint
 * (the connection's target is the endpoint's URL), with per-tool guardrails.
 */
public final class McpListenerFactory implements ProtocolListenerFactory {

  @Override
  public String kind() {
    return "mcp";
  }

  @Override
  public ProtocolListener create(ListenerContext context) {
    HttpListener.check(context.connection());
    return new HttpListener(context, "mcp", new McpExchanges());
  }
}
