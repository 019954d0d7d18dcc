package dev.ward.agent.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.recording.v1.Event;
import dev.ward.stack.McpDemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holds on HTTP-carried protocols: a held HTTP request and a held MCP tool call wait in the agent
 * (nothing reaches the upstream) until approvers decide, then go upstream once approved or are
 * refused in the protocol's own terms naming who denied and why; each step is recorded.
 */
@Timeout(120)
class HttpAndMcpHoldsTest {

  static final String POLICY =
      """
      {"schemaVersion": 1,
       "access": [{"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
       "guardrails": {
         "http": [{"id": "admin-writes", "methods": ["POST"], "paths": ["/admin/**"],
                   "action": "hold", "approval": "sre", "reason": "Admin changes need an SRE."}],
         "mcp": [{"id": "shell-needs-sre", "tools": ["shell*"], "action": "hold",
                  "approval": "sre", "reason": "Shell commands need an SRE."}]
       },
       "approvals": [{"id": "sre", "approverGroups": ["sre"], "timeout": "PT60S"}]}
      """;

  static final ObjectMapper JSON = new ObjectMapper();
  static final List<AgentMessage> sent = new CopyOnWriteArrayList<>();

  /**
   * Threads for the clients' blocking calls: the common pool has a single thread on a two-core
   * machine, and the MCP SDK needs it to deliver the answer a blocked call waits for.
   */
  static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();

  static Vertx vertx;
  static ApprovalDesk desk;
  static TestUpstream upstream;
  static McpDemoServer mcpServer;
  static HttpHarness http;
  static HttpHarness mcp;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    desk = new ApprovalDesk(vertx, sent::add);
    upstream = new TestUpstream(vertx, null);
    http = HttpHarness.startWithApprovals(vertx, "http", upstream.url(), b -> b, POLICY, desk);
    mcpServer = new McpDemoServer(0, "Bearer " + HttpHarness.UPSTREAM_SECRET);
    mcp =
        HttpHarness.startWithApprovals(
            vertx, "mcp", "http://127.0.0.1:" + mcpServer.port(), b -> b, POLICY, desk);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    mcp.close();
    mcpServer.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static ApprovalRequest awaitRequest(String operation) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (AgentMessage m : sent) {
        if (m.hasApprovalRequest() && m.getApprovalRequest().getOperation().contains(operation)) {
          return m.getApprovalRequest();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no approval request for " + operation + " in " + sent);
  }

  static ApprovalDecision.Builder decision(ApprovalRequest request, String outcome) {
    return ApprovalDecision.newBuilder()
        .setRequestId(request.getRequestId())
        .setOperationHash(request.getOperationHash())
        .setOutcome(outcome);
  }

  static List<String> approvalStates(HttpHarness ward) {
    return ward.recorder.sessions().stream()
        .flatMap(s -> s.events().stream())
        .filter(Event::hasApproval)
        .map(e -> e.getApproval().getState())
        .toList();
  }

  @Test
  void aHeldRequestWaitsThenGoesUpstreamOnceApproved() throws Exception {
    upstream.lastPath.set(null);
    CompletableFuture<HttpResponse<String>> response =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return http.send(
                    http.request("/admin/users")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\"}")));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            CLIENTS);
    ApprovalRequest request = awaitRequest("POST /admin/users");
    assertThat(request.getRule()).isEqualTo("admin-writes");
    assertThat(request.getApproverGroupsList()).containsExactly("sre");
    assertThat(request.getSubject()).isEqualTo("alice");
    assertThat(request.getActor()).isEqualTo("claude-code");
    Thread.sleep(300);
    assertThat(response).isNotDone();
    assertThat(upstream.lastPath.get()).as("nothing went upstream while held").isNull();

    desk.onDecision(decision(request, "approved").setDecidedBy("sam").build());

    assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    assertThat(upstream.lastPath.get()).isEqualTo("/admin/users");
    assertThat(approvalStates(http)).containsSubsequence("requested", "approved");
  }

  @Test
  void aDeniedRequestIsAnsweredWithAProblemNamingTheDenierAndReason() throws Exception {
    CompletableFuture<HttpResponse<String>> response =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return http.send(
                    http.request("/admin/flags")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"flag\":\"on\"}")));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            CLIENTS);
    ApprovalRequest request = awaitRequest("POST /admin/flags");

    desk.onDecision(
        decision(request, "denied").setDecidedBy("sam").setReason("not during the freeze").build());

    HttpResponse<String> r = response.get(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(r.body());
    assertThat(problem.get("type").asText()).endsWith("/approval-denied");
    assertThat(problem.get("detail").asText())
        .contains(request.getRequestId())
        .contains("denied by sam")
        .contains("not during the freeze");
    assertThat(http.awaitExchange("/admin/flags").getBlocked()).isTrue();
  }

  @Test
  void anApprovalOfAnotherOperationDoesNotReleaseTheHold() throws Exception {
    CompletableFuture<HttpResponse<String>> response =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return http.send(
                    http.request("/admin/keys").POST(HttpRequest.BodyPublishers.ofString("k")));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            CLIENTS);
    ApprovalRequest request = awaitRequest("POST /admin/keys");

    desk.onDecision(
        decision(request, "approved")
            .setOperationHash("0".repeat(64))
            .setDecidedBy("mallory")
            .build());
    Thread.sleep(300);
    assertThat(response).isNotDone();

    desk.onDecision(decision(request, "denied").setDecidedBy("sam").setReason("no").build());
    assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(403);
  }

  @Test
  void aHeldToolCallRunsOnceApprovedAndADeniedOneIsAJsonRpcError() throws Exception {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + mcp.port)
            .endpoint("/mcp")
            .requestBuilder(
                HttpRequest.newBuilder().header("Authorization", "Bearer " + mcp.grant()))
            .build();
    try (McpSyncClient client =
        McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
      client.initialize();
      CompletableFuture<McpSchema.CallToolResult> call =
          CompletableFuture.supplyAsync(
              () ->
                  client.callTool(
                      new McpSchema.CallToolRequest("shell_exec", Map.of("command", "uptime"))),
              CLIENTS);
      ApprovalRequest request = awaitRequest("tools/call shell_exec");
      assertThat(request.getRule()).isEqualTo("shell-needs-sre");
      Thread.sleep(300);
      assertThat(call).isNotDone();

      desk.onDecision(decision(request, "approved").setDecidedBy("sam").build());
      Thread.sleep(3000);
      System.err.println(
          "DEBUG events: "
              + mcp.recorder.sessions().stream()
                  .flatMap(x -> x.events().stream())
                  .map(e -> e.toString().replace('\n', ' '))
                  .toList());
      McpSchema.CallToolResult result = call.get(20, TimeUnit.SECONDS);
      assertThat(((McpSchema.TextContent) result.content().getFirst()).text())
          .isEqualTo("ran: uptime");

      CompletableFuture<McpSchema.CallToolResult> denied =
          CompletableFuture.supplyAsync(
              () ->
                  client.callTool(
                      new McpSchema.CallToolRequest(
                          "shell_exec", Map.of("command", "rm -rf /tmp/x"))),
              CLIENTS);
      ApprovalRequest second = awaitRequest("rm -rf /tmp/x");
      desk.onDecision(
          decision(second, "denied").setDecidedBy("sam").setReason("too risky").build());
      assertThat(denied)
          .failsWithin(Duration.ofSeconds(20))
          .withThrowableThat()
          .havingRootCause()
          .withMessageContaining("denied by sam")
          .withMessageContaining("too risky");
    }
    assertThat(approvalStates(mcp)).containsSubsequence("requested", "approved", "requested");
    assertThat(approvalStates(mcp)).contains("denied");
  }
}
