package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.stack.KeycloakBrowser;
import dev.ward.stack.KeycloakServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ward login} as a person meets it: a signed-up tenant on a real control plane and a real
 * Keycloak, the CLI jar as a process printing a code, the code approved in Keycloak's own HTML
 * forms, then {@code ward whoami} with the stored sign-in, a refresh, and {@code ward logout}
 * revoking it at the realm.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class WardLoginIT {

  static final String PASSWORD = BuildLogs.watched("correct-horse-battery-9");
  static final Pattern COMPLETE = Pattern.compile("\\(or open (\\S+)\\)");
  static KeycloakServer keycloak;
  static ControlPlaneFixture cp;
  static String slug;
  static String email;
  static String issuer;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("ward-it-keycloak");
    Path logs = BuildLogs.folder("login-keycloak");
    keycloak =
        new KeycloakServer(
                dir.resolve("data"),
                "admin",
                BuildLogs.watched("kc-" + UUID.randomUUID()),
                logs.resolve("keycloak.log"))
            .start();
    cp = new ControlPlaneFixture("login", keycloak.controlPlaneSettings());
    String org = "Login " + UUID.randomUUID().toString().substring(0, 8);
    email = "ada@" + org.toLowerCase().replace(' ', '-') + ".example";
    JsonNode signedUp = cp.signUp(org, email, PASSWORD);
    slug = signedUp.get("slug").asText();
    issuer = signedUp.get("issuer").asText();
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.stop();
    }
    if (keycloak != null) {
      keycloak.stop();
    }
  }

  static ProcessBuilder ward(Path config, String... args) {
    return WardCli.withConfig(config, args);
  }

  static WardCli.Run run(Path config, String... args) throws Exception {
    return WardCli.run(ward(config, args), Duration.ofSeconds(120));
  }

  /** Runs {@code ward login}, approves the printed code as the person, and waits for it. */
  static WardCli.Run login(Path config) throws Exception {
    Process p = ward(config, "login", "--control-plane", cp.url(), "--tenant", slug).start();
    StringBuilder out = new StringBuilder();
    CompletableFuture<String> link = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (out) {
                    out.append(line).append('\n');
                  }
                  Matcher m = COMPLETE.matcher(line);
                  if (m.find()) {
                    link.complete(m.group(1));
                  }
                }
              } catch (Exception e) {
                link.completeExceptionally(e);
              }
              link.completeExceptionally(new AssertionError("no link printed: " + out));
            });
    reader.start();
    String url = link.get(120, TimeUnit.SECONDS);
    assertThat(url).startsWith(issuer + "/device");
    KeycloakBrowser.Outcome approved = new KeycloakBrowser().signIn(url, email, PASSWORD, null);
    assertThat(approved.page()).as("the page after approving").isNotNull();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out.toString()).isTrue();
    reader.join(10_000);
    synchronized (out) {
      return new WardCli.Run(p.exitValue(), out.toString());
    }
  }

  static int refreshStatus(String refreshToken) throws Exception {
    String form =
        "grant_type=refresh_token&client_id=ward-cli&refresh_token="
            + java.net.URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void loginStoresTheSignInOwnerOnlyWhoamiNamesThePersonAndLogoutRevokesIt() throws Exception {
    Path config = Files.createTempDirectory("ward-config").resolve("ward");
    WardCli.Run login = login(config);
    assertThat(login.status()).as(login.out()).isZero();
    assertThat(login.out())
        .contains("enter the code")
        .contains("Signed in to " + slug + " as " + email);

    Path file = config.resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rwx------");
    ObjectMapper json = new ObjectMapper();
    ObjectNode stored = (ObjectNode) json.readTree(file.toFile());
    assertThat(stored.path("issuer").asText()).isEqualTo(issuer);

    WardCli.Run whoami = run(config, "whoami");
    assertThat(whoami.status()).as(whoami.out()).isZero();
    assertThat(whoami.out()).startsWith(email).contains("admin");

    // an expired access token is refreshed with the stored refresh token
    String firstAccess = stored.path("accessToken").asText();
    stored.put("expiresAt", 0);
    json.writeValue(file.toFile(), stored);
    WardCli.Run refreshed = run(config, "whoami");
    assertThat(refreshed.status()).as(refreshed.out()).isZero();
    assertThat(refreshed.out()).startsWith(email);
    JsonNode after = json.readTree(file.toFile());
    assertThat(after.path("accessToken").asText()).isNotEqualTo(firstAccess);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    String refreshToken = after.path("refreshToken").asText();
    assertThat(refreshStatus(refreshToken)).as("refresh before logout").isEqualTo(200);
    WardCli.Run logout = run(config, "logout");
    assertThat(logout.status()).as(logout.out()).isZero();
    assertThat(logout.out()).contains("Signed out of " + slug);
    assertThat(file).doesNotExist();
    assertThat(refreshStatus(refreshToken)).as("refresh after logout").isEqualTo(400);

    WardCli.Run signedOut = run(config, "whoami");
    assertThat(signedOut.status()).isEqualTo(1);
    assertThat(signedOut.out()).contains("not signed in").contains("ward login");
  }
}
