package dev.ward.controlplane.identity.realm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.common.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The Keycloak server that holds one realm per tenant, through the Keycloak admin client. Calls
 * block, so {@link #call} runs them on a worker thread and returns to the caller's Vert.x context
 * (where Hibernate Reactive sessions live). Without {@code ward.keycloak.url} the control plane
 * runs with API tokens only and sign-up answers 503.
 */
@ApplicationScoped
public class TenantRealms {

  private static final Logger LOG = Logger.getLogger(TenantRealms.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<String> url;
  private final String adminUser;
  private final Optional<String> adminPassword;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile Keycloak keycloak;

  public TenantRealms(
      @ConfigProperty(name = "ward.keycloak.url") Optional<String> url,
      @ConfigProperty(name = "ward.keycloak.admin-user", defaultValue = "admin") String adminUser,
      @ConfigProperty(name = "ward.keycloak.admin-password") Optional<String> adminPassword) {
    this.url =
        url.filter(u -> !u.isBlank())
            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
  }

  /** Whether an identity server is configured at all. */
  public boolean configured() {
    return url.isPresent() && adminPassword.isPresent();
  }

  /** The issuer URL of a realm: what its tokens carry in {@code iss}. */
  public String issuer(String realm) {
    return baseUrl() + "/realms/" + realm;
  }

  /** The prefix every tenant realm's issuer starts with, or empty without an identity server. */
  public Optional<String> tenantIssuerPrefix() {
    return url.map(u -> u + "/realms/" + RealmTemplate.realmName(""));
  }

  /** The admin API of one realm. */
  public RealmResource realm(String realm) {
    return admin().realm(realm);
  }

  /** Creates a realm in one step (clients, groups and users included). */
  public void create(RealmRepresentation realm) {
    admin().realms().create(realm);
  }

  /** Whether the realm exists. */
  public boolean exists(String realm) {
    try {
      admin().realm(realm).toRepresentation();
      return true;
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the realm; a realm that is gone already is fine. */
  public void delete(String realm) {
    try {
      admin().realm(realm).remove();
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() != 404) {
        throw e;
      }
    }
  }

  /**
   * Whether the user's password is right, by a password grant on the realm's built-in admin-cli
   * client. Used only to answer a repeated sign-up; failures count against brute-force protection.
   */
  public boolean passwordValid(String realm, String username, String password) {
    String form =
        "grant_type=password&client_id=admin-cli&scope=openid&username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                  .timeout(Duration.ofSeconds(15))
                  .header("content-type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        return body.hasNonNull("access_token");
      }
      return false;
    } catch (IOException e) {
      throw new ProcessingException("identity server unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessingException("interrupted", e);
    }
  }

  /**
   * Runs blocking admin calls on a worker thread and emits on the calling Vert.x context. Errors of
   * the identity server become a 502/503 problem that says what to do.
   */
  public <T> Uni<T> call(Supplier<T> work) {
    if (!configured()) {
      return Uni.createFrom()
          .failure(
              new Problem(
                  503,
                  "Service Unavailable",
                  "No identity server is configured for this Ward installation"
                      + " (set WARD_KEYCLOAK_URL and WARD_KEYCLOAK_ADMIN_PASSWORD)."));
    }
    Context context = Vertx.currentContext();
    Uni<T> uni =
        Uni.createFrom()
            .item(work)
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
            .onFailure(e -> !(e instanceof Problem))
            .transform(TenantRealms::asProblem);
    return context == null ? uni : uni.emitOn(command -> context.runOnContext(v -> command.run()));
  }

  /** The same, for work without a result. */
  public Uni<Void> run(Runnable work) {
    return call(() -> {
          work.run();
          return Boolean.TRUE;
        })
        .replaceWithVoid();
  }

  private static Problem asProblem(Throwable e) {
    if (e instanceof WebApplicationException w) {
      Response response = w.getResponse();
      int status = response == null ? 500 : response.getStatus();
      String detail = errorText(response);
      LOG.warnf("Identity server refused a change: HTTP %d %s", status, detail);
      if (status == 409) {
        return new Problem(
            409,
            "Conflict",
            "The identity server holds a conflicting object already: " + detail,
            e);
      }
      if (status == 400) {
        return new Problem(
            400, "Bad Request", "The identity server refused the change: " + detail, e);
      }
      return new Problem(
          502,
          "Bad Gateway",
          "The identity server answered HTTP " + status + "; try again later.",
          e);
    }
    LOG.warnf("Identity server unreachable: %s", e.toString());
    return new Problem(
        503,
        "Service Unavailable",
        "The identity server cannot be reached; nothing was created. Try again in a minute.",
        e);
  }

  private static String errorText(Response response) {
    if (response == null || !response.hasEntity()) {
      return "";
    }
    try {
      String body = response.readEntity(String.class);
      JsonNode json = JSON.readTree(body);
      String text = json.path("errorMessage").asText(json.path("error").asText(""));
      return text.length() > 300 ? text.substring(0, 300) : text;
    } catch (RuntimeException | IOException ignored) {
      return "";
    }
  }

  private String baseUrl() {
    return url.orElseThrow(
        () -> new IllegalStateException("ward.keycloak.url is not set; no identity server"));
  }

  private Keycloak admin() {
    Keycloak k = keycloak;
    if (k == null) {
      synchronized (this) {
        if (keycloak == null) {
          keycloak =
              KeycloakBuilder.builder()
                  .serverUrl(baseUrl())
                  .realm("master")
                  .clientId("admin-cli")
                  .grantType(OAuth2Constants.PASSWORD)
                  .username(adminUser)
                  .password(adminPassword.orElseThrow())
                  .build();
        }
        k = keycloak;
      }
    }
    return k;
  }

  @PreDestroy
  void close() {
    if (keycloak != null) {
      keycloak.close();
    }
  }
}
