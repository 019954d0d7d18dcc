package dev.ward.agent.protocol.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.protocol.http.HttpHarness;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.stack.McpDemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official MCP Java SDK as client, through the agent, to the same SDK's server. */
class McpThroughWardTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static McpDemoServer server;
  private static HttpHarness ward;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = new McpDemoServer(0, "Bearer " + HttpHarness.UPSTREAM_SECRET);
    ward = HttpHarness.start(vertx, "mcp", "http://127.0.0.1:" + server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static McpSyncClient client() {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + ward.port)
            .endpoint("/mcp")
            .requestBuilder(
                HttpRequest.newBuilder().header("Authorization", "Bearer " + ward.grant()))
            .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    client.initialize();
    return client;
  }

  @Test
  void initializeListAndCallAreRecordedWithMaskedResults() throws Exception {
    try (McpSyncClient client = client()) {
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .contains("echo", "lookup_customer", "shell_exec");

      McpSchema.CallToolResult result =
          client.callTool(new McpSchema.CallToolRequest("lookup_customer", Map.of("id", "42")));

      String text = ((McpSchema.TextContent) result.content().getFirst()).text();
      assertThat(text).contains("Ada Lovelace").doesNotContain(McpDemoServer.LEAKED_KEY);
    }
    assertThat(ward.awaitExchange("/mcp").getPath()).isEqualTo("/mcp");
    Exchange call = recorded("tools/call", "lookup_customer");
    assertThat(call.getRequestBody().toStringUtf8()).contains("\"id\":\"42\"");
    assertThat(call.getResponseBody().toStringUtf8())
        .contains("Ada Lovelace")
        .doesNotContain(McpDemoServer.LEAKED_KEY);
    assertThat(recorded("initialize", "").getStatus()).isEqualTo(200);
    assertThat(recorded("tools/list", "").getResponseBody().toStringUtf8()).contains("shell_exec");
    ward.awaitEvent(e -> e.hasMasking() && e.getMasking().getEntriesCount() > 0);
  }

  @Test
  void deniedToolGetsAJsonRpcErrorNamingTheRule() throws Exception {
    try (McpSyncClient client = client()) {
      assertThatThrownBy(
              () ->
                  client.callTool(
                      new McpSchema.CallToolRequest("shell_exec", Map.of("command", "ls /"))))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("no-shell");
      // the session stays usable after a refusal
      McpSchema.CallToolResult echo =
          client.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "still here")));
      assertThat(((McpSchema.TextContent) echo.content().getFirst()).text())
          .isEqualTo("still here");
    }
    Exchange refused = recorded("tools/call", "shell_exec");
    assertThat(refused.getBlocked()).isTrue();
    ward.awaitEvent(e -> e.hasGuardrail() && e.getGuardrail().getRule().equals("no-shell"));
  }

  @Test
  void invalidJsonGetsAParseError() throws Exception {
    HttpResponse<String> response =
        ward.send(
            ward.request("/mcp")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\": \"2.0\", ")));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(error.get("id").isNull()).isTrue();
    assertThat(error.get("error").get("code").asInt()).isEqualTo(-32700);
  }

  @Test
  void messageThatIsNotJsonRpcGetsAnInvalidRequestError() throws Exception {
    HttpResponse<String> response =
        ward.send(
            ward.request("/mcp")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"id\": 7, \"method\": \"tools/list\"}")));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("id").asInt()).isEqualTo(7);
    assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
  }

  @Test
  void toolCallWithoutNameGetsAnInvalidParamsError() throws Exception {
    HttpResponse<String> response =
        ward.send(
            ward.request("/mcp")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"tools/call\","
                            + " \"params\": {}}")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").get("code").asInt()).isEqualTo(-32602);
  }

  private static Exchange recorded(String method, String tool) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Exchange e : ward.exchanges()) {
        if (e.getRpcMethod().equals(method) && e.getToolName().equals(tool)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + method + " " + tool + " recorded: " + ward.exchanges());
  }
}
