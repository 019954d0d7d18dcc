package dev.ward.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class ApiDocumentTest {

  @Test
  void theOpenApiDocumentDescribesEveryResource() {
    var doc =
        given()
            .accept("application/json")
            .get("/api/v1/openapi")
            .then()
            .statusCode(200)
            .body("paths.'/api/v1/connections'", notNullValue())
            .body("paths.'/api/v1/connections/{id}'.put", notNullValue())
            .body("paths.'/api/v1/policies'", notNullValue())
            .body("paths.'/api/v1/policies/test'", notNullValue())
            .body("paths.'/api/v1/identity-providers'", notNullValue())
            .body("paths.'/api/v1/audit'", notNullValue())
            .body("paths.'/api/v1/agents'", notNullValue());
  }

  @Test
  void anApprovalIsDocumentedWithTheFieldsTheApiReturns() {
    given()
        .accept("application/json")
        .get("/api/v1/openapi")
        .then()
        .statusCode(200)
        .body("components.schemas.ApprovalDetail.properties.requestId", notNullValue())
        .body("components.schemas.ApprovalDetail.properties.approverGroups", notNullValue())
        .body("components.schemas.ApprovalDetail.properties.maxTimeBoxMinutes", notNullValue())
        .body("components.schemas.ApprovalDetail.properties.votes", notNullValue())
        .body("components.schemas.ApprovalDetail.properties.approval", nullValue())
        .body("components.schemas.ApprovalDetail.properties.tenantId", nullValue())
        .body("components.schemas.ApprovalDetail.properties.slackTs", nullValue())
        .body("components.schemas.ApprovalDetail.properties.maxTimeBoxMillis", nullValue());
  }

  @Test
  void theApiDocumentationIsBrowsable() {
    given().get("/api/v1/docs/").then().statusCode(200).body(containsString("swagger"));
  }

  @TestHTTPResource("/api/v1/policies")
  URI policies;

  /**
   * The client announces the body and waits ({@code Expect: 100-continue}), as clients sending
   * large bodies do: a client that writes 2 MiB regardless may see the refusal as a broken pipe,
   * since the server closes without reading what it refused.
   */
  @Test
  void anOversizedBodyIsRefusedBeforeItIsRead() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(policies)
            .version(HttpClient.Version.HTTP_1_1)
            .expectContinue(true)
            .header("Authorization", "Bearer " + TestTokens.newTenantAdmin())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"))
            .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(413);
    }
  }
}
