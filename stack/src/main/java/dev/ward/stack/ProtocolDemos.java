package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP, Git and MCP part of {@code make dev}: a demo HTTP API, a demo Git repository behind
 * Git's http-backend and a demo MCP server, each with a secret only the agent holds, a connection
 * for each under a policy with guardrails to try, and ready URLs (grant included) for the env file.
 */
final class ProtocolDemos implements AutoCloseable {

  /** Masks every secret family and personal data; guards the admin API, main and shell tools. */
  static final String POLICY =
      """
      {
        "schemaVersion": 1,
        "masking": {
          "secrets": {"enabled": true, "families": ["*"], "strategy": "redact"},
          "pii": {"email": {"strategy": "hmac"}, "creditCard": {"strategy": "keep-last:4"}}
        },
        "guardrails": {
          "http": [
            {"id": "no-admin-deletes", "methods": ["DELETE"], "paths": ["/admin/**"],
             "action": "deny", "reason": "Deleting through the admin API is not allowed."}
          ],
          "mcp": [
            {"id": "no-shell", "tools": ["shell*"], "action": "deny",
             "reason": "Shell tools are not allowed through Ward."}
          ],
          "git": [
            {"id": "protect-main", "refs": ["refs/heads/main"], "action": "deny",
             "reason": "main changes only through reviewed merges; push a branch."}
          ]
        },
        "access": [{"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}]
      }
      """;

  private final DemoHttpApi httpApi;
  private final GitServer git;
  private final McpDemoServer mcp;
  private final Map<String, String> agentEnv = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, String> connectionIds = new LinkedHashMap<>();

  private ProtocolDemos(Path home) throws Exception {
    String httpToken = random();
    String gitPassword = random();
    String mcpToken = random();
    agentEnv.put("WARD_DEMO_HTTP_TOKEN", httpToken);
    agentEnv.put("WARD_DEMO_GIT_PASSWORD", gitPassword);
    agentEnv.put("WARD_DEMO_MCP_TOKEN", mcpToken);
    httpApi = new DemoHttpApi(0, httpToken);
    Probe.deleteTree(home.resolve("git"));
    git =
        new GitServer(
            home.resolve("git"),
            0,
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("git:" + gitPassword).getBytes(StandardCharsets.UTF_8)));
    git.createRepository("demo", "# Demo repository\n\nPush a branch through Ward.\n");
    mcp = new McpDemoServer(0, "Bearer " + mcpToken);
  }

  /** Starts the demo servers. */
  static ProtocolDemos start(Path home) throws Exception {
    return new ProtocolDemos(home);
  }

  /** The secrets the agent needs to reach the demo servers. */
  Map<String, String> agentEnv() {
    return agentEnv;
  }

  /** The listen ports of the demo connections by name. */
  Map<String, Integer> ports() {
    return ports;
  }

  /** Creates the demo policy and the http, git and mcp connections. */
  void createConnections(WardApi api) throws IOException {
    String policy =
        api.post(
                "/api/v1/policies",
                Map.of(
                    "name",
                    "protocols-demo",
                    "description",
                    "Masks secrets and personal data; guards the admin API, main and shell tools",
                    "document",
                    new ObjectMapper().readTree(POLICY)))
            .expect(201)
            .get("id")
            .asText();
    connection(
        api,
        "demo-api",
        "http",
        httpApi.url(),
        "bearer",
        "",
        "WARD_DEMO_HTTP_TOKEN",
        Ports.preferred(7080),
        policy);
    connection(
        api,
        "demo-git",
        "git",
        git.url(),
        "basic",
        "git",
        "WARD_DEMO_GIT_PASSWORD",
        Ports.preferred(7081),
        policy);
    connection(
        api,
        "demo-mcp",
        "mcp",
        "http://127.0.0.1:" + mcp.port(),
        "bearer",
        "",
        "WARD_DEMO_MCP_TOKEN",
        Ports.preferred(7082),
        policy);
  }

  private void connection(
      WardApi api,
      String name,
      String kind,
      String target,
      String style,
      String username,
      String secretVariable,
      int port,
      String policy)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", kind);
    body.put("listenPort", port);
    body.put("target", target);
    body.put("credentialStyle", style);
    if (!username.isEmpty()) {
      body.put("username", username);
    }
    body.put("secretRef", "env:" + secretVariable);
    // Local development only: lets clients send grants without TLS.
    body.put("allowPlaintextGrant", true);
    body.put("policyId", policy);
    JsonNode created = api.post("/api/v1/connections", body).expect(201);
    connectionIds.put(name, created.get("id").asText());
    ports.put(name, port);
  }

  /** Ready URLs with a fresh grant in each, for the env file. */
  Map<String, String> urls(WardApi api) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    String http = grant(api, "demo-api");
    String git = grant(api, "demo-git");
    String mcpGrant = grant(api, "demo-mcp");
    env.put("WARD_HTTP_URL", "http://dev:" + http + "@127.0.0.1:" + ports.get("demo-api"));
    env.put(
        "WARD_GIT_URL", "http://dev:" + git + "@127.0.0.1:" + ports.get("demo-git") + "/demo.git");
    env.put(
        "WARD_MCP_URL", "http://dev:" + mcpGrant + "@127.0.0.1:" + ports.get("demo-mcp") + "/mcp");
    env.put("WARD_MCP_GRANT", mcpGrant);
    return env;
  }

  private String grant(WardApi api, String connection) throws IOException {
    return api.post(
            "/api/v1/connections/" + connectionIds.get(connection) + "/grants",
            Map.of("actor", "dev-shell", "ttlSeconds", 12 * 3600))
        .expect(201)
        .get("token")
        .asText();
  }

  @Override
  public void close() throws Exception {
    mcp.close();
    git.close();
    httpApi.close();
  }

  private static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
