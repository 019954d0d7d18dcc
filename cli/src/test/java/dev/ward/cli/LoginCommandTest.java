package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The device flow against a scripted control plane and realm: polls honour {@code interval} and
 * {@code slow_down}, the sign-in is stored owner-only, refreshed when expired, used by other
 * commands and revoked on logout. WardLoginIT runs the same against a real Keycloak.
 */
class LoginCommandTest {

  @TempDir Path config;
  private HttpServer server;
  private String base;
  private final List<String> tokenAnswers = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> revoked = new CopyOnWriteArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private int issued;

  private static String jwt(String email) {
    String payload = "{\"email\":\"" + email + "\"}";
    return "e30."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".sig";
  }

  @BeforeEach
  void fakes() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    String issuer = base + "/realms/ward-acme";
    server.createContext(
        "/api/v1/auth/discovery",
        x ->
            reply(
                x,
                200,
                "{\"tenant\":\"acme\",\"issuer\":\""
                    + issuer
                    + "\",\"consoleClientId\":\"ward-console\",\"cliClientId\":\"ward-cli\"}"));
    server.createContext(
        "/api/v1/auth/me",
        x -> {
          String auth = x.getRequestHeaders().getFirst("authorization");
          if (auth == null || !auth.startsWith("Bearer " + jwt("ada@acme.example"))) {
            reply(x, 401, "{\"detail\":\"unauthorized\"}");
          } else {
            reply(
                x,
                200,
                "{\"subject\":\"u-1\",\"email\":\"ada@acme.example\",\"tenantId\":\"t-1\","
                    + "\"roles\":[\"member\"],\"auth\":\""
                    + auth.substring(auth.length() - 2)
                    + "\"}");
          }
        });
    server.createContext(
        "/realms/ward-acme/.well-known/openid-configuration",
        x ->
            reply(
                x,
                200,
                "{\"issuer\":\""
                    + issuer
                    + "\",\"device_authorization_endpoint\":\""
                    + issuer
                    + "/device\",\"token_endpoint\":\""
                    + issuer
                    + "/token\",\"revocation_endpoint\":\""
                    + issuer
                    + "/revoke\"}"));
    server.createContext(
        "/realms/ward-acme/device",
        x ->
            reply(
                x,
                200,
                "{\"device_code\":\"dc-1\",\"user_code\":\"WXYZ-1234\",\"verification_uri\":\""
                    + issuer
                    + "/verify\",\"verification_uri_complete\":\""
                    + issuer
                    + "/verify?user_code=WXYZ-1234\",\"expires_in\":600,\"interval\":5}"));
    server.createContext(
        "/realms/ward-acme/token",
        x -> {
          Map<String, String> form = form(x);
          tokenRequests.add(form);
          if (form.get("grant_type").equals("refresh_token")) {
            reply(x, 200, tokens());
            return;
          }
          String next = tokenAnswers.isEmpty() ? "ok" : tokenAnswers.remove(0);
          if (next.equals("ok")) {
            reply(x, 200, tokens());
          } else {
            reply(x, 400, "{\"error\":\"" + next + "\"}");
          }
        });
    server.createContext(
        "/realms/ward-acme/revoke",
        x -> {
          revoked.add(form(x));
          reply(x, 200, "");
        });
    server.start();
  }

  private synchronized String tokens() {
    issued++;
    return "{\"access_token\":\""
        + jwt("ada@acme.example")
        + "\",\"refresh_token\":\"rt-"
        + issued
        + "\",\"expires_in\":300,\"refresh_expires_in\":1800}";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static Map<String, String> form(HttpExchange x) throws IOException {
    Map<String, String> form = new HashMap<>();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return form;
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("content-type", "application/json");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  private Map<String, String> env() {
    return Map.of("WARD_CONFIG_DIR", config.resolve("ward").toString());
  }

  record Run(int code, String out, String err) {}

  private Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(command)
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run login() {
    LoginCommand login = new LoginCommand();
    login.environment = env();
    login.sleeper = sleeps::add;
    return run(login, "--control-plane", base + "/", "--tenant", "acme");
  }

  @Test
  void loginPollsAtTheIntervalSlowsDownWhenToldAndStoresTheSignInOwnerOnly() throws Exception {
    tokenAnswers.addAll(List.of("authorization_pending", "slow_down", "authorization_pending"));
    Run r = login();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(base + "/realms/ward-acme/verify")
        .contains("WXYZ-1234")
        .contains("Signed in to acme as ada@acme.example");
    assertThat(sleeps)
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
    assertThat(tokenRequests).allSatisfy(f -> assertThat(f).containsEntry("device_code", "dc-1"));

    Path file = config.resolve("ward/credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    var stored = new ObjectMapper().readTree(file.toFile());
    assertThat(stored.path("refreshToken").asText()).isEqualTo("rt-1");
    assertThat(stored.path("controlPlane").asText()).isEqualTo(base);
    assertThat(r.out()).doesNotContain("rt-1");
  }

  @Test
  void aDeniedOrExpiredCodeSaysSoAndStoresNothing() {
    tokenAnswers.add("access_denied");
    Run denied = login();
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err()).contains("denied");
    tokenAnswers.add("expired_token");
    Run expired = login();
    assertThat(expired.err()).contains("expired").contains("ward login");
    assertThat(config.resolve("ward/credentials.json")).doesNotExist();
  }

  @Test
  void otherCommandsUseTheStoredSignInAndRefreshItWhenExpired() throws Exception {
    assertThat(login().code()).isZero();
    WhoAmICommand whoami = new WhoAmICommand();
    whoami.environment = env();
    Run r = run(whoami);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("ada@acme.example").contains("member");
    assertThat(tokenRequests).hasSize(1);

    // an expired access token is refreshed with the refresh token, and the new one stored
    Credentials c = Credentials.load(env()).orElseThrow();
    new Credentials(
            c.controlPlane(),
            c.tenant(),
            c.issuer(),
            c.clientId(),
            c.accessToken(),
            c.refreshToken(),
            0,
            c.refreshExpiresAt())
        .save(env());
    ControlPlane cp = ControlPlane.fromEnvironment(env());
    assertThat(cp.me().path("email").asText()).isEqualTo("ada@acme.example");
    assertThat(tokenRequests.get(1))
        .containsEntry("grant_type", "refresh_token")
        .containsEntry("refresh_token", "rt-1")
        .containsEntry("client_id", "ward-cli");
    assertThat(Credentials.load(env()).orElseThrow().refreshToken()).isEqualTo("rt-2");
  }

  @Test
  void logoutRevokesTheRefreshTokenAndDeletesTheFile() {
    assertThat(login().code()).isZero();
    LogoutCommand logout = new LogoutCommand();
    logout.environment = env();
    Run r = run(logout);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(revoked)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .containsEntry("token", "rt-1")
                    .containsEntry("token_type_hint", "refresh_token")
                    .containsEntry("client_id", "ward-cli"));
    assertThat(config.resolve("ward/credentials.json")).doesNotExist();
    WhoAmICommand whoami = new WhoAmICommand();
    whoami.environment = env();
    Run after = run(whoami);
    assertThat(after.code()).isEqualTo(1);
    assertThat(after.err()).contains("not signed in").contains("ward login");
  }
}
