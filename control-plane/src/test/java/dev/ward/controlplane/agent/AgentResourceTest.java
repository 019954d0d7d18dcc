package dev.ward.controlplane.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
class AgentResourceTest {

  @Test
  void registeringAnAgentReturnsItsTokenOnceAndListsItOffline() {
    String admin = TestTokens.newTenantAdmin();
    String token =
        given()
            .auth()
            .oauth2(admin)
            .contentType(ContentType.JSON)
            .body(Map.of("name", "edge-1"))
            .post("/api/v1/agents")
            .then()
            .statusCode(201)
            .body("agent.name", equalTo("edge-1"))
            .body("agent.status", equalTo("offline"))
            .extract()
            .path("token");
    org.assertj.core.api.Assertions.assertThat(token).startsWith("wat_").hasSizeGreaterThan(40);

    given()
        .auth()
        .oauth2(admin)
        .get("/api/v1/agents")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].name", equalTo("edge-1"))
        .body("total", equalTo(1))
        .body(not(containsString(token)));
  }

  @Test
  void anotherTenantSeesNoneOfTheAgentsAndGets404ForOne() {
    String a = TestTokens.newTenantAdmin();
    String b = TestTokens.newTenantAdmin();
    String id =
        given()
            .auth()
            .oauth2(a)
            .contentType(ContentType.JSON)
            .body(Map.of("name", "private"))
            .post("/api/v1/agents")
            .then()
            .statusCode(201)
            .extract()
            .path("agent.id");

    given().auth().oauth2(b).get("/api/v1/agents").then().statusCode(200).body("items", hasSize(0));
    given()
        .auth()
        .oauth2(b)
        .get("/api/v1/agents/" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
    given().auth().oauth2(b).post("/api/v1/agents/" + id + "/revoke").then().statusCode(404);
  }

  @Test
  void aDuplicateNameIsAConflictThatSaysWhatToDo() {
    String admin = TestTokens.newTenantAdmin();
    for (int expected : new int[] {201, 409}) {
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(Map.of("name", "twin"))
          .post("/api/v1/agents")
          .then()
          .statusCode(expected);
    }
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "twin"))
        .post("/api/v1/agents")
        .then()
        .contentType("application/problem+json")
        .body("detail", containsString("choose another name"));
  }

  @Test
  void anInvalidNameIsRejectedWithTheFieldNamed() {
    given()
        .auth()
        .oauth2(TestTokens.newTenantAdmin())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Not A Name"))
        .post("/api/v1/agents")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("name"));
  }

  @Test
  void malformedJsonIsA400ProblemNotAStackTrace() {
    given()
        .auth()
        .oauth2(TestTokens.newTenantAdmin())
        .contentType(ContentType.JSON)
        .body("{\"name\":")
        .post("/api/v1/agents")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(not(containsString("at com.")))
        .body(not(containsString("Exception")));
  }

  @Test
  void callsWithoutAValidTokenAre401Problems() {
    given().get("/api/v1/agents").then().statusCode(401).contentType("application/problem+json");
    given()
        .auth()
        .oauth2("wapi_not-a-real-token")
        .get("/api/v1/agents")
        .then()
        .statusCode(401)
        .body("detail", startsWith("Sign in again"));
  }

  @Test
  void theBootstrapTokenCannotActOnATenant() {
    given().auth().oauth2(TestTokens.BOOTSTRAP).get("/api/v1/agents").then().statusCode(403);
  }

  @Test
  void aTenantAdminCannotCreateTenants() {
    given()
        .auth()
        .oauth2(TestTokens.newTenantAdmin())
        .contentType(ContentType.JSON)
        .body(Map.of("slug", "sneaky", "name", "Sneaky"))
        .post("/api/v1/admin/tenants")
        .then()
        .statusCode(403);
  }
}
