package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectCommandTest {

  private HttpServer api;
  private String lastGrantBody;

  @BeforeEach
  void fakeControlPlane() throws Exception {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/api/v1/connections",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body;
          int status = 200;
          if (!"Bearer wapi_test".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body = "{\"detail\":\"unauthorized\"}";
          } else if (path.endsWith("/grants")) {
            lastGrantBody =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            status = 201;
            body =
                "{\"token\":\"eyJ.grant.sig\",\"workSessionId\":\"ws_1\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
          } else {
            body =
                "{\"items\":[{\"id\":\"c1\",\"name\":\"orders\",\"kind\":\"postgres\",\"listenHost\":\"\","
                    + "\"listenPort\":6432,\"database\":\"shop\"}]}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  private Map<String, String> env(String token) {
    return Map.of(
        "WARD_API_URL",
        "http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1",
        "WARD_API_TOKEN",
        token);
  }

  @Test
  void aPostgresGrantBecomesADsnThroughTheAgent() throws Exception {
    ControlPlane cp = ControlPlane.fromEnvironment(env("wapi_test"));
    var connection = cp.connection("orders").orElseThrow();
    var grant = cp.grant("c1", "claude-code", null, 600);
    assertThat(lastGrantBody).contains("\"actor\":\"claude-code\"").contains("\"ttlSeconds\":600");
    String dsn = Grants.postgresDsn(Grants.clientSettings(connection, grant, "10.1.2.3"));
    assertThat(dsn).isEqualTo("postgresql://ws_1:eyJ.grant.sig@10.1.2.3:6432/shop?sslmode=require");
  }

  @Test
  void anLlmGrantPointsBothProvidersSdksAtTheAgent() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var connection =
        json.readTree(
            "{\"id\":\"c2\",\"name\":\"model\",\"kind\":\"llm\",\"listenHost\":\"\","
                + "\"listenPort\":6480,\"allowPlaintextGrant\":false}");
    var grant = json.readTree("{\"token\":\"eyJ.llm.sig\",\"workSessionId\":\"ws_9\"}");

    Map<String, String> v = Grants.clientSettings(connection, grant, "10.1.2.3");

    assertThat(v)
        .containsEntry("OPENAI_BASE_URL", "https://10.1.2.3:6480/v1")
        .containsEntry("OPENAI_API_KEY", "eyJ.llm.sig")
        .containsEntry("ANTHROPIC_BASE_URL", "https://10.1.2.3:6480")
        .containsEntry("ANTHROPIC_API_KEY", "eyJ.llm.sig")
        .containsEntry("WARD_WORK_SESSION", "ws_9")
        .doesNotContainKey("PGPASSWORD");
  }

  @Test
  void anUnknownConnectionIsAbsent() throws Exception {
    assertThat(ControlPlane.fromEnvironment(env("wapi_test")).connection("nope")).isEmpty();
  }

  @Test
  void aRefusedTokenSaysToSignInAgain() {
    try {
      ControlPlane.fromEnvironment(env("wapi_wrong")).connections();
      throw new AssertionError("expected a failure");
    } catch (ControlPlane.Failure e) {
      assertThat(e.getMessage()).contains("sign in again");
    }
  }

  @Test
  void withoutSettingsItSaysWhatToSet() {
    try {
      ControlPlane.fromEnvironment(Map.of());
      throw new AssertionError("expected a failure");
    } catch (ControlPlane.Failure e) {
      assertThat(e.getMessage()).contains("WARD_API_URL").contains("WARD_API_TOKEN");
    }
  }

  @Test
  void shellQuotingSurvivesQuotes() {
    assertThat(Grants.shellQuote("a'b")).isEqualTo("'a'\\''b'");
  }
}
