package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.DemoHttpApi;
import dev.ward.stack.GitServer;
import dev.ward.stack.McpDemoServer;
import dev.ward.stack.Ports;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP, Git and MCP end to end over real processes: curl, git and the MCP Java SDK client present
 * grants minted by the control plane to a Ward agent process, which reaches a demo API, Git's
 * http-backend and the MCP SDK's server with injected credentials, masks and refuses by policy, and
 * reports each grant's session to the control plane's session index.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class HttpGitMcpThroughWardIT {

  static final String HTTP_TOKEN = "api-token-" + System.nanoTime();
  static final String GIT_PASSWORD = BuildLogs.watched("git-password-" + System.nanoTime());
  static final String MCP_TOKEN = "mcp-token-" + System.nanoTime();
  static final String POLICY =
      """
      {
        "schemaVersion": 1,
        "masking": {"secrets": {"enabled": true, "families": ["*"], "strategy": "redact"}},
        "guardrails": {
          "http": [{"id": "no-admin-deletes", "methods": ["DELETE"], "paths": ["/admin/**"],
                    "action": "deny", "reason": "Deleting through the admin API is not allowed."}],
          "mcp": [{"id": "no-shell", "tools": ["shell*"], "action": "deny",
                   "reason": "Shell tools are not allowed."}],
          "git": [{"id": "protect-main", "refs": ["refs/heads/main"], "action": "deny",
                   "reason": "main changes only through reviewed merges."}]
        },
        "access": [{"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}]
      }
      """;

  static ControlPlaneFixture cp;
  static DemoHttpApi api;
  static GitServer git;
  static McpDemoServer mcp;
  static AgentProcess agent;
  static Path work;
  static final Map<String, String> ids = new HashMap<>();
  static final Map<String, Integer> ports = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cp = new ControlPlaneFixture("protocols");
    work = Files.createTempDirectory("ward-it-protocols");
    api = new DemoHttpApi(0, HTTP_TOKEN);
    git =
        new GitServer(
            work.resolve("git"),
            0,
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("git:" + GIT_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    git.createRepository("demo", "# Demo\n");
    mcp = new McpDemoServer(0, "Bearer " + MCP_TOKEN);
    String policy =
        cp.api
            .post(
                "/api/v1/policies",
                Map.of("name", "protocols", "document", new ObjectMapper().readTree(POLICY)))
            .expect(201)
            .get("id")
            .asText();
    connection("api", "http", api.url(), "bearer", "", "IT_HTTP_TOKEN", policy);
    connection("repo", "git", git.url(), "basic", "git", "IT_GIT_PASSWORD", policy);
    connection(
        "tools", "mcp", "http://127.0.0.1:" + mcp.port(), "bearer", "", "IT_MCP_TOKEN", policy);
    Map<String, String> env = new HashMap<>();
    env.put("IT_HTTP_TOKEN", HTTP_TOKEN);
    env.put("IT_GIT_PASSWORD", GIT_PASSWORD);
    env.put("IT_MCP_TOKEN", MCP_TOKEN);
    agent = cp.startAgent(env, ports);
  }

  private static void connection(
      String name,
      String kind,
      String target,
      String style,
      String user,
      String secret,
      String policy)
      throws Exception {
    int port = Ports.free();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", kind);
    body.put("listenPort", port);
    body.put("target", target);
    body.put("credentialStyle", style);
    if (!user.isEmpty()) {
      body.put("username", user);
    }
    body.put("secretRef", "env:" + secret);
    body.put("allowPlaintextGrant", true);
    body.put("policyId", policy);
    body.put("options", Map.of("session_idle_seconds", "1"));
    ids.put(name, cp.createConnection(body));
    ports.put(name, port);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, mcp, git, api, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String grant(String connection) throws Exception {
    return cp.grant(ids.get(connection), "claude-code");
  }

  record Run(int status, String out) {}

  static Run run(Path dir, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("HOME", work.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  @Order(1)
  void curlWithAGrantSeesTheApiMaskedAndIsRefusedAnAdminDelete() throws Exception {
    String base = "http://127.0.0.1:" + ports.get("api");
    String grant = grant("api");
    Run customers = run(work, "curl", "-s", "-u", "dev:" + grant, base + "/customers");
    assertThat(customers.out())
        .contains("Ada Lovelace")
        .doesNotContain("AKIAQ3EGRBXJ7K4N2WPZ")
        .doesNotContain("sk_live_");

    Run delete =
        run(
            work,
            "curl",
            "-s",
            "-X",
            "DELETE",
            "-H",
            "Authorization: Bearer " + grant,
            base + "/admin/users/1");
    assertThat(delete.out()).contains("\"status\":403").contains("no-admin-deletes");

    Run anonymous =
        run(work, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/customers");
    assertThat(anonymous.out()).isEqualTo("401");
  }

  @Test
  @Order(2)
  void gitClonesAndPushesABranchButMainIsRefused() throws Exception {
    String remote = "http://dev:" + grant("repo") + "@127.0.0.1:" + ports.get("repo") + "/demo.git";
    Path clone = work.resolve("clone");
    assertThat(run(work, "git", "clone", "-q", remote, clone.toString()).status()).isZero();
    Files.writeString(clone.resolve("a.txt"), "a\n");
    run(clone, "git", "add", "a.txt");
    run(clone, "git", "-c", "user.name=A", "-c", "user.email=a@x.test", "commit", "-qm", "a");
    Run branch = run(clone, "git", "push", "origin", "HEAD:refs/heads/feature");
    assertThat(branch.status()).as(branch.out()).isZero();
    Run main = run(clone, "git", "push", "origin", "HEAD:refs/heads/main");
    assertThat(main.status()).isNotZero();
    assertThat(main.out()).contains("[remote rejected]").contains("protect-main");
  }

  @Test
  @Order(3)
  void theMcpSdkClientCallsToolsWithMaskedResultsAndIsRefusedAShell() throws Exception {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + ports.get("tools"))
            .endpoint("/mcp")
            .requestBuilder(
                HttpRequest.newBuilder().header("Authorization", "Bearer " + grant("tools")))
            .build();
    try (McpSyncClient client =
        McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
      client.initialize();
      McpSchema.CallToolResult result =
          client.callTool(new McpSchema.CallToolRequest("lookup_customer", Map.of("id", "1")));
      assertThat(((McpSchema.TextContent) result.content().getFirst()).text())
          .contains("Ada Lovelace")
          .doesNotContain(McpDemoServer.LEAKED_KEY);
      assertThatThrownBy(
              () ->
                  client.callTool(
                      new McpSchema.CallToolRequest("shell_exec", Map.of("command", "id"))))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("no-shell");
    }
  }

  @Test
  @Order(4)
  void eachProtocolsSessionsAppearInTheSessionIndex() throws Exception {
    List<String> expected = new ArrayList<>(List.of("api", "repo", "tools"));
    Map<String, String> text =
        Map.of("api", "GET /customers", "repo", "git-receive-pack", "tools", "POST /mcp");
    for (String name : expected) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode items =
                    cp.api
                        .get("/api/v1/sessions?state=ended&connectionId=" + ids.get(name))
                        .expect(200)
                        .get("items");
                assertThat(items).isNotEmpty();
                StringBuilder all = new StringBuilder();
                long exchanges = 0;
                long blocked = 0;
                for (JsonNode s : items) {
                  all.append(s.get("searchText").asText()).append('\n');
                  exchanges += s.get("statementCount").asLong();
                  blocked += s.path("blockedCount").asLong();
                  assertThat(s.get("actor").asText()).isEqualTo("claude-code");
                }
                assertThat(all.toString()).contains(text.get(name));
                assertThat(exchanges).isPositive();
                assertThat(blocked).isPositive();
              });
    }
  }
}
