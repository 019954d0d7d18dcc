package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tenant realm as the {@code ward} command speaks to it, a public OAuth client: the device
 * authorization grant (RFC 8628) to sign in, the refresh token grant to stay signed in, and token
 * revocation (RFC 7009) to sign out. Endpoints come from the issuer's discovery document.
 */
final class OidcClient {

  /** Tokens of one sign-in; times are epoch seconds. */
  record Tokens(String accessToken, String refreshToken, long expiresAt, long refreshExpiresAt) {
    @Override
    public String toString() {
      return "Tokens[expiresAt=" + expiresAt + "]";
    }
  }

  /** A device authorization: what to show the person, and what to poll with. */
  record DeviceCode(
      String deviceCode,
      String userCode,
      String verificationUri,
      String verificationUriComplete,
      long intervalSeconds,
      long expiresAt) {}

  /** Waits between polls; tests replace it. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String issuer;
  private final String clientId;
  private JsonNode discovery;

  OidcClient(String issuer, String clientId) {
    this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.clientId = clientId;
  }

  /** Asks the realm for a device code and the code the person enters. */
  DeviceCode startDeviceAuthorization() throws ControlPlane.Failure {
    String endpoint = endpoint("device_authorization_endpoint");
    Answer a = post(endpoint, Map.of("client_id", clientId, "scope", "openid"));
    if (a.status() != 200) {
      throw new ControlPlane.Failure(
          "the identity provider refused to start a device sign-in: " + a.error());
    }
    JsonNode b = a.body();
    long interval = Math.max(1, b.path("interval").asLong(5));
    return new DeviceCode(
        b.path("device_code").asText(),
        b.path("user_code").asText(),
        b.path("verification_uri").asText(),
        b.path("verification_uri_complete").asText(null),
        interval,
        Instant.now().getEpochSecond() + b.path("expires_in").asLong(600));
  }

  /**
   * Polls the token endpoint until the person approves or denies the code or it expires, waiting
   * {@code interval} seconds between polls and five more after each {@code slow_down} (RFC 8628
   * section 3.5).
   */
  Tokens awaitApproval(DeviceCode code, Sleeper sleeper) throws ControlPlane.Failure {
    String endpoint = endpoint("token_endpoint");
    long interval = code.intervalSeconds();
    while (true) {
      if (Instant.now().getEpochSecond() >= code.expiresAt()) {
        throw new ControlPlane.Failure(
            "the code expired before it was approved: run `ward login` again");
      }
      try {
        sleeper.sleep(Duration.ofSeconds(interval));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ControlPlane.Failure("interrupted");
      }
      Answer a =
          post(
              endpoint,
              Map.of(
                  "grant_type",
                  DEVICE_GRANT,
                  "client_id",
                  clientId,
                  "device_code",
                  code.deviceCode()));
      if (a.status() == 200) {
        return tokens(a.body());
      }
      switch (a.body().path("error").asText("")) {
        case "authorization_pending" -> {}
        case "slow_down" -> interval += 5;
        case "access_denied" -> throw new ControlPlane.Failure("the sign-in was denied");
        case "expired_token" ->
            throw new ControlPlane.Failure(
                "the code expired before it was approved: run `ward login` again");
        default -> throw new ControlPlane.Failure("the sign-in failed: " + a.error());
      }
    }
  }

  /** New tokens for a refresh token; a refused refresh means the person must sign in again. */
  Tokens refresh(String refreshToken) throws ControlPlane.Failure {
    Answer a =
        post(
            endpoint("token_endpoint"),
            Map.of(
                "grant_type",
                "refresh_token",
                "client_id",
                clientId,
                "refresh_token",
                refreshToken));
    if (a.status() != 200) {
      throw new ControlPlane.Failure(
          "your sign-in has expired or was revoked (" + a.error() + "): run `ward login` again");
    }
    return tokens(a.body());
  }

  /**
   * Revokes the refresh token, which ends its session at the realm (RFC 7009; Keycloak's logout
   * endpoint when the realm has no revocation endpoint).
   */
  void revoke(String refreshToken) throws ControlPlane.Failure {
    JsonNode d = discovery();
    String revocation = d.path("revocation_endpoint").asText("");
    Answer a;
    if (!revocation.isEmpty()) {
      a =
          post(
              revocation,
              Map.of(
                  "client_id",
                  clientId,
                  "token",
                  refreshToken,
                  "token_type_hint",
                  "refresh_token"));
    } else {
      a =
          post(
              endpoint("end_session_endpoint"),
              Map.of("client_id", clientId, "refresh_token", refreshToken));
    }
    if (a.status() / 100 != 2) {
      throw new ControlPlane.Failure(
          "the identity provider did not revoke the sign-in: " + a.error());
    }
  }

  private static Tokens tokens(JsonNode b) {
    long now = Instant.now().getEpochSecond();
    long refreshIn = b.path("refresh_expires_in").asLong(0);
    return new Tokens(
        b.path("access_token").asText(),
        b.path("refresh_token").asText(null),
        now + b.path("expires_in").asLong(60),
        refreshIn == 0 ? 0 : now + refreshIn);
  }

  private String endpoint(String name) throws ControlPlane.Failure {
    String url = discovery().path(name).asText("");
    if (url.isEmpty()) {
      throw new ControlPlane.Failure("the identity provider at " + issuer + " has no " + name);
    }
    return url;
  }

  private JsonNode discovery() throws ControlPlane.Failure {
    if (discovery == null) {
      HttpResponse<String> r;
      try {
        r =
            http.send(
                HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new ControlPlane.Failure(
              "the identity provider at " + issuer + " answered HTTP " + r.statusCode());
        }
        discovery = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new ControlPlane.Failure(
            "cannot reach the identity provider at "
                + issuer
                + " ("
                + ControlPlane.unreachable(e)
                + "); try again in a moment");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ControlPlane.Failure("interrupted");
      }
    }
    return discovery;
  }

  private record Answer(int status, JsonNode body) {
    /** The OAuth error and its description, never the body's tokens. */
    String error() {
      String e = body.path("error").asText("HTTP " + status);
      String d = body.path("error_description").asText("");
      return d.isEmpty() ? e : e + ": " + d;
    }
  }

  private Answer post(String url, Map<String, String> form) throws ControlPlane.Failure {
    String body =
        new LinkedHashMap<>(form)
            .entrySet().stream()
                .map(
                    e ->
                        URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                            + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("content-type", "application/x-www-form-urlencoded")
                  .header("accept", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json =
            r.body() == null || r.body().isBlank()
                ? JSON.createObjectNode()
                : JSON.readTree(r.body());
      } catch (IOException e) {
        json = JSON.createObjectNode();
      }
      return new Answer(r.statusCode(), json);
    } catch (IOException e) {
      throw new ControlPlane.Failure(
          "cannot reach the identity provider at "
              + issuer
              + " ("
              + ControlPlane.unreachable(e)
              + "); try again in a moment");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlPlane.Failure("interrupted");
    }
  }
}
