package dev.ward.stack;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real MCP server for tests and {@code make dev}: the official MCP Java SDK's server over the
 * Streamable HTTP transport on embedded Jetty, at {@code /mcp} on 127.0.0.1. Its tools answer with
 * data an agent should never see unmasked (a customer record with a cloud key), and it accepts only
 * requests that carry the expected {@code Authorization} value.
 */
public final class McpDemoServer implements AutoCloseable {

  /** The key {@code lookup_customer} leaks, for masking to act on. */
  public static final String LEAKED_KEY = "AKIAQ3EGRBXJ7K4N2WPZ";

  private final Server jetty;
  private final McpSyncServer mcp;
  private final int port;

  /**
   * @param port where to listen; 0 for any free port
   * @param authorization the {@code Authorization} value every request must carry; null accepts all
   */
  public McpDemoServer(int port, String authorization) throws Exception {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
    mcp =
        McpServer.sync(transport)
            .serverInfo("ward-demo-tools", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(echo(), lookupCustomer(), shell())
            .build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder servlet = new ServletHolder(transport);
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/mcp");
    if (authorization != null) {
      Filter check =
          (request, response, chain) -> {
            String given = ((HttpServletRequest) request).getHeader("Authorization");
            if (!authorization.equals(given)) {
              ((HttpServletResponse) response).sendError(401, "unauthorized");
              return;
            }
            chain.doFilter(request, response);
          };
      FilterHolder holder = new FilterHolder(check);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    jetty.setHandler(context);
    jetty.start();
    this.port = connector.getLocalPort();
  }

  public int port() {
    return port;
  }

  /** The MCP endpoint, e.g. {@code http://127.0.0.1:1234/mcp}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  private static McpSchema.Tool tool(String name, String description, String argument) {
    return McpSchema.Tool.builder()
        .name(name)
        .description(description)
        .inputSchema(
            Map.of(
                "type",
                "object",
                "properties",
                Map.of(argument, Map.of("type", "string")),
                "required",
                List.of(argument)))
        .build();
  }

  private static SyncToolSpecification echo() {
    return SyncToolSpecification.builder()
        .tool(tool("echo", "Repeats the text", "text"))
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder()
                    .addTextContent(String.valueOf(request.arguments().get("text")))
                    .build())
        .build();
  }

  private static SyncToolSpecification lookupCustomer() {
    return SyncToolSpecification.builder()
        .tool(tool("lookup_customer", "Finds a customer and their cloud credentials", "id"))
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder()
                    .addTextContent(
                        "customer "
                            + request.arguments().get("id")
                            + ": Ada Lovelace, aws key "
                            + LEAKED_KEY)
                    .build())
        .build();
  }

  private static SyncToolSpecification shell() {
    return SyncToolSpecification.builder()
        .tool(tool("shell_exec", "Runs a shell command on the tools host", "command"))
        .callHandler(
            (exchange, request) ->
                McpSchema.CallToolResult.builder()
                    .addTextContent("ran: " + request.arguments().get("command"))
                    .build())
        .build();
  }

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
  }
}
