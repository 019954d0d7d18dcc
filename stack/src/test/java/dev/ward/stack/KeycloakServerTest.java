package dev.ward.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KeycloakServerTest {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void keycloakStartsAndIssuesAnAdminTokenToItsBootstrapAdmin() throws Exception {
    try (KeycloakServer kc =
        new KeycloakServer(dir.resolve("data"), "admin", "s3cret-admin", dir.resolve("kc.log"))
            .start()) {
      String form =
          "grant_type=password&client_id=admin-cli&username=admin&password="
              + URLEncoder.encode("s3cret-admin", StandardCharsets.UTF_8);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(kc.issuer("master") + "/protocol/openid-connect/token"))
                      .header("content-type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode token = new ObjectMapper().readTree(r.body());
      assertThat(token.get("access_token").asText()).isNotBlank();
    }
  }
}
