package dev.ward.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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

  @Test
  void anOversizedBodyIsRefusedBeforeItIsRead() {
    given()
        .auth()
        .oauth2(TestTokens.newTenantAdmin())
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
        .post("/api/v1/policies")
        .then()
        .statusCode(413);
  }
}
