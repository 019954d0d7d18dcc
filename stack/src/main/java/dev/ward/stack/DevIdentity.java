package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-in for {@code make dev}: a Keycloak on a port fixed up front (so the control plane is told
 * where tenant realms live before Keycloak runs), started after the rest of the stack so the
 * PostgreSQL path is ready as early as without it. Once Keycloak serves, a demo tenant {@code
 * demo-sso} is signed up (its own realm, admin) and given a demo member, and the settings to sign
 * in with are handed back for {@code .ward/dev/env}.
 */
final class DevIdentity implements AutoCloseable {

  static final String TENANT = "demo-sso";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakServer keycloak;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  DevIdentity(Path home, Path logs) {
    this.keycloak =
        new KeycloakServer(
                home.resolve("keycloak"), "admin", "kc-" + random(), logs.resolve("keycloak.log"))
            .onPort(Ports.preferred(8180));
  }

  /** What the control plane needs to create realms and trust their tokens. */
  Map<String, String> controlPlaneEnv() {
    Map<String, String> env = new LinkedHashMap<>(keycloak.controlPlaneSettings());
    // the console signs people in against Keycloak from the browser
    env.put("WARD_CSP_CONNECT_SRC", keycloak.url());
    return env;
  }

  /**
   * Starts Keycloak, signs up the demo tenant and adds its member; returns the env lines (issuer,
   * tenant, demo people and their password).
   */
  Map<String, String> start(String controlPlaneUrl) throws IOException {
    keycloak.start();
    String password = "Demo-" + random();
    String admin = "admin@" + TENANT + ".example";
    String member = "dev@" + TENANT + ".example";
    HttpResponse<String> signup =
        send(
            HttpRequest.newBuilder(URI.create(controlPlaneUrl + "/api/v1/signup"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of(
                                "organisation", "Demo SSO",
                                "slug", TENANT,
                                "email", admin,
                                "password", password)))));
    if (signup.statusCode() / 100 != 2) {
      throw new IOException("sign-up of " + TENANT + " answered HTTP " + signup.statusCode());
    }
    JsonNode tenant = JSON.readTree(signup.body());
    addMember(tenant.path("realm").asText(), member, password);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WARD_OIDC_ISSUER", tenant.path("issuer").asText());
    env.put("WARD_OIDC_TENANT", TENANT);
    env.put("WARD_KEYCLOAK_URL", keycloak.url());
    env.put("WARD_DEMO_SSO_ADMIN", admin);
    env.put("WARD_DEMO_SSO_MEMBER", member);
    env.put("WARD_DEMO_SSO_PASSWORD", password);
    return env;
  }

  /** A person in the tenant's ward-members group, through Keycloak's admin API. */
  private void addMember(String realm, String email, String password) throws IOException {
    HttpResponse<String> token =
        send(
            HttpRequest.newBuilder(
                    URI.create(keycloak.issuer("master") + "/protocol/openid-connect/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&client_id=admin-cli&username="
                            + URLEncoder.encode(keycloak.adminUser(), StandardCharsets.UTF_8)
                            + "&password="
                            + URLEncoder.encode(
                                keycloak.adminPassword(), StandardCharsets.UTF_8))));
    if (token.statusCode() != 200) {
      throw new IOException("Keycloak refused its admin: HTTP " + token.statusCode());
    }
    String bearer = JSON.readTree(token.body()).path("access_token").asText();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("username", email);
    user.put("email", email);
    user.put("emailVerified", true);
    user.put("firstName", "Dev");
    user.put("lastName", "Member");
    user.put("enabled", true);
    user.put("groups", List.of("/ward-members"));
    user.put(
        "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/" + realm + "/users"))
                .header("authorization", "Bearer " + bearer)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(user))));
    if (created.statusCode() != 201 && created.statusCode() != 409) {
      throw new IOException("creating the demo member answered HTTP " + created.statusCode());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      // creating a realm takes seconds, longer on a busy machine
      return http.send(
          request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    keycloak.stop();
  }

  private static String random() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
