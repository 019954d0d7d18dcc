package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a client uses a grant: the settings its tools read. */
final class Grants {

  private Grants() {}

  /**
   * PG* settings for postgres connections, OPENAI_* and ANTHROPIC_* ones for llm connections, plus
   * WARD_* ones for every connection.
   */
  static Map<String, String> clientSettings(JsonNode connection, JsonNode grant, String agentHost) {
    String host = connection.path("listenHost").asText("");
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = agentHost;
    }
    Map<String, String> v = new LinkedHashMap<>();
    if ("postgres".equals(connection.path("kind").asText())) {
      v.put("PGHOST", host);
      v.put("PGPORT", connection.path("listenPort").asText());
      String db = connection.path("database").asText("");
      if (!db.isEmpty()) {
        v.put("PGDATABASE", db);
      }
      v.put("PGUSER", grant.path("workSessionId").asText("ward"));
      v.put("PGPASSWORD", grant.path("token").asText());
      v.put("PGSSLMODE", "require");
    }
    if ("llm".equals(connection.path("kind").asText())) {
      // The SDKs and tools of both providers read these: their base URL points at the agent and
      // their key is the grant; the provider's own key stays with the agent.
      String scheme = connection.path("allowPlaintextGrant").asBoolean(false) ? "http" : "https";
      String base = scheme + "://" + host + ":" + connection.path("listenPort").asText();
      String token = grant.path("token").asText();
      v.put("OPENAI_BASE_URL", base + "/v1");
      v.put("OPENAI_API_KEY", token);
      v.put("ANTHROPIC_BASE_URL", base);
      v.put("ANTHROPIC_API_KEY", token);
    }
    v.put("WARD_WORK_SESSION", grant.path("workSessionId").asText());
    v.put("WARD_GRANT_EXPIRES", grant.path("expiresAt").asText());
    return v;
  }

  static String postgresDsn(Map<String, String> v) {
    return "postgresql://"
        + enc(v.get("PGUSER"))
        + ":"
        + enc(v.get("PGPASSWORD"))
        + "@"
        + v.get("PGHOST")
        + ":"
        + v.get("PGPORT")
        + "/"
        + enc(v.getOrDefault("PGDATABASE", ""))
        + "?sslmode="
        + v.get("PGSSLMODE");
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
