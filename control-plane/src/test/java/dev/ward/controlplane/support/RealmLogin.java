package dev.ward.controlplane.support;

import static io.restassured.RestAssured.given;

import dev.ward.stack.KeycloakBrowser;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Tokens of a tenant realm for tests, obtained the way people and agents obtain them. */
public final class RealmLogin {

  private RealmLogin() {}

  /**
   * Signs a person in with the device authorization grant of {@code ward-cli}: asks for a code,
   * approves it by HTTP as the person, then redeems it. Returns the access token.
   */
  public static String device(String issuer, String username, String password) {
    JsonPath code =
        given()
            .formParams(Map.of("client_id", "ward-cli", "scope", "openid"))
            .post(issuer + "/protocol/openid-connect/auth/device")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    try {
      new KeycloakBrowser()
          .signIn(code.getString("verification_uri_complete"), username, password, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return given()
        .formParams(
            Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", "ward-cli",
                "device_code", code.getString("device_code")))
        .post(issuer + "/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  /** A service account's token by the client-credentials grant. */
  public static String clientCredentials(String tokenUrl, String clientId, String secret) {
    return given()
        .formParams(
            Map.of(
                "grant_type", "client_credentials",
                "client_id", clientId,
                "client_secret", secret))
        .post(tokenUrl)
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  /** The claims of a JWT, read without verifying it (the test checks what was issued). */
  public static JsonPath claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    return new JsonPath(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }
}
