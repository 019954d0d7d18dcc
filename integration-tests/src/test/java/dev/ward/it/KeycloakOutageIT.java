package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.KeycloakBrowser;
import dev.ward.stack.KeycloakServer;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.WardApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keycloak, the identity server, stopped while Ward runs: nothing on the data path needs it (psql
 * with a grant minted before, and grants minted during the outage with an API token, get through
 * the agent), the control plane starts without it, and a sign-in meets a clear error (problem+json
 * from the control plane, a message from {@code ward login}) rather than a 500 or a stack trace.
 * Once Keycloak is back, people sign in again.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KeycloakOutageIT {

  static final String PASSWORD = BuildLogs.watched("correct-horse-battery-9");
  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static KeycloakServer keycloak;
  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static String slug;
  static String email;
  static String issuer;
  static WardApi api;
  static String connectionId;
  static int shopPort;

  @BeforeAll
  static void start() throws Exception {
    Path logs = BuildLogs.folder("keycloak-outage-identity");
    keycloak =
        new KeycloakServer(
                Files.createTempDirectory("ward-it-keycloak").resolve("data"),
                "admin",
                BuildLogs.watched("kc-" + UUID.randomUUID()),
                logs.resolve("keycloak.log"))
            .start();
    cp = new ControlPlaneFixture("keycloak-outage", keycloak.controlPlaneSettings());
    String org = "Outage " + UUID.randomUUID().toString().substring(0, 8);
    email = "ada@" + org.toLowerCase().replace(' ', '-') + ".example";
    JsonNode signedUp = cp.signUp(org, email, PASSWORD);
    slug = signedUp.get("slug").asText();
    issuer = signedUp.get("issuer").asText();

    // The person signs in and issues an API token for automation.
    String accessToken = signIn();
    assertThat(me(accessToken).statusCode()).isEqualTo(200);
    String apiToken =
        new WardApi(cp.url(), accessToken)
            .post("/api/v1/api-tokens", Map.of("name", "ci", "roles", Set.of("ward-admins")))
            .expect(201)
            .get("token")
            .asText();
    api = new WardApi(cp.url(), apiToken);

    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "shop");
    shopPort = Ports.free();
    connectionId =
        api.createConnection(
            ControlPlaneFixture.postgresConnection(
                "shop", shopPort, upstream, "shop", "SHOP_DB_PASSWORD"));
    agent =
        cp.startAgent(
            api.registerAgent("edge"),
            "agent-data",
            Map.of("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD),
            "agent.log",
            Map.of("shop", shopPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp, keycloak}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void withKeycloakDownTheDataPathAndApiTokensWorkAndSignInFailsClearlyUntilItIsBack()
      throws Exception {
    String mintedBefore = grant("minted-before-outage");
    String accessBefore = signIn();

    Path controlPlaneLog = cp.logs.resolve("control-plane.log");
    long outageStart = Files.size(controlPlaneLog);
    keycloak.stop();
    assertThat(answers(keycloak.url())).isFalse();
    // a replica that has fetched the realm's keys keeps checking tokens it signed
    assertThat(me(accessBefore).statusCode()).isEqualTo(200);

    // the data path: a grant minted before, and one minted now with the API token
    Psql.Run before = Psql.commands(shopPort, mintedBefore, List.of("SELECT 'before-token'"));
    assertThat(before.status()).as(before.out()).isZero();
    assertThat(before.out()).contains("before-token");
    Psql.Run during =
        Psql.commands(shopPort, grant("minted-during-outage"), List.of("SELECT 'during-token'"));
    assertThat(during.status()).as(during.out()).isZero();
    assertThat(during.out()).contains("during-token");

    // where people sign in is still known; getting there is not
    HttpResponse<String> discovery = get("/api/v1/auth/discovery?tenant=" + slug, null);
    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(discovery.body()).get("issuer").asText()).isEqualTo(issuer);
    WardCli.Run login = wardLogin();
    System.out.printf(
        "ward login while Keycloak is down: exit %d%n%s%n", login.status(), login.out());
    assertThat(login.status()).as(login.out()).isNotZero();
    assertThat(login.out())
        .as("ward login while Keycloak is down")
        .contains("cannot reach the identity provider at " + issuer + " (connection refused)")
        .doesNotContain("null")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");

    // A control plane started during the outage serves API tokens; a person's token that it
    // cannot check gets a 503 problem+json (not a 500, and not a 401 that signs people out).
    cp.stop();
    cp.start();
    assertThat(api.get("/api/v1/auth/me").status()).isEqualTo(200);
    HttpResponse<String> unchecked = me(accessBefore);
    assertThat(unchecked.statusCode()).as(unchecked.body()).isEqualTo(503);
    assertThat(unchecked.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(unchecked.headers().firstValue("retry-after")).isPresent();
    assertThat(JSON.readTree(unchecked.body()).get("type").asText())
        .isEqualTo("https://ward.dev/problems/identity-server-unreachable");
    assertThat(unchecked.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(grant("minted-after-restart")).isNotBlank();

    // The control plane's log says so in one WARN line per failed check: no stack trace, no token.
    String warning =
        "WARN  [de.wa.co.co.ProblemMapper] Could not check a sign-in token on /api/v1/auth/me: the"
            + " identity server is unreachable";
    String[] outageLog = new String[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              outageLog[0] = readFrom(controlPlaneLog, outageStart);
              assertThat(outageLog[0]).contains(warning);
            });
    System.out.printf("control-plane log while Keycloak was down:%n%s%n", outageLog[0]);
    assertThat(outageLog[0].lines().filter(l -> l.contains(warning))).hasSize(1);
    assertThat(outageLog[0])
        .doesNotContain("\tat ")
        .doesNotContain("Caused by")
        .doesNotContain("WARN  [io.qu.oi.")
        .doesNotContain(accessBefore)
        .doesNotContain("eyJ");

    keycloak.start();
    String accessAfter = signIn();
    HttpResponse<String> me = me(accessAfter);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(JSON.readTree(me.body()).get("email").asText()).isEqualTo(email);
    assertThat(me(accessBefore).statusCode()).isEqualTo(200);
  }

  /** What a log file gained after {@code offset} bytes. */
  static String readFrom(Path log, long offset) throws Exception {
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
  }

  /** Signs the person in with the device grant of ward-cli, as {@code ward login} does. */
  static String signIn() throws Exception {
    return new KeycloakBrowser().deviceLogin(issuer, "ward-cli", email, PASSWORD);
  }

  static HttpResponse<String> me(String accessToken) throws Exception {
    return get("/api/v1/auth/me", accessToken);
  }

  static HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(cp.url() + path)).timeout(Duration.ofSeconds(60));
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String grant(String actor) throws Exception {
    return api.grant(connectionId, actor);
  }

  /** {@code ward login} against the control plane, with a fresh config folder. */
  static WardCli.Run wardLogin() throws Exception {
    return WardCli.run(
        WardCli.withConfig(
            Files.createTempDirectory("ward-config").resolve("ward"),
            "login",
            "--control-plane",
            cp.url(),
            "--tenant",
            slug),
        Duration.ofSeconds(120));
  }

  /** Whether anything answers HTTP at the URL. */
  static boolean answers(String url) {
    try {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
