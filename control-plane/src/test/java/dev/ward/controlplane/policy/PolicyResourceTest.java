package dev.ward.controlplane.policy;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class PolicyResourceTest {

  @Test
  void anAdminSavesAPolicyAndReadsItsDocumentBack() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/policies", Api.policy("readonly"));
    admin
        .get("/api/v1/policies/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"0\""))
        .body("name", equalTo("readonly"))
        .body("document.schemaVersion", equalTo(1))
        .body("document.recording.mode", equalTo("strict"));
  }

  @Test
  void aDocumentTheEngineCannotEnforceIsRejectedWithEveryProblemLocated() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin
        .post(
            "/api/v1/policies",
            Map.of("name", "broken", "document", Map.of("recording", Map.of("mode", "sometimes"))))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("document/schemaVersion"))
        .body("errors.field", hasItem("document/recording/mode"))
        .body(
            "errors.find { it.field == 'document/recording/mode' }.message",
            containsString("strict"));
    admin
        .post("/api/v1/policies", Map.of("name", "array", "document", List.of(1, 2)))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("document"))
        .body("errors[0].message", equalTo("must be a JSON object"));
    admin
        .post("/api/v1/policies", Map.of("name", "missing"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("document"));
  }

  @Test
  void aPolicyInUseCannotBeDeletedAndSaysWhoUsesIt() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/policies", Api.policy("used"));
    String conn =
        admin.create("/api/v1/connections", Api.connection("orders", 6100, "policyId", id));
    admin
        .delete("/api/v1/policies/" + id, "\"0\"")
        .then()
        .statusCode(409)
        .body("detail", containsString("orders"));
    admin.delete("/api/v1/connections/" + conn, "\"0\"").then().statusCode(204);
    admin.delete("/api/v1/policies/" + id, "\"0\"").then().statusCode(204);
  }

  @Test
  void replacingNeedsTheCurrentETag() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/policies", Api.policy("p"));
    admin.put("/api/v1/policies/" + id, null, Api.policy("p")).then().statusCode(428);
    admin
        .put("/api/v1/policies/" + id, "\"0\"", Api.policy("p2"))
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"1\""))
        .body("name", equalTo("p2"));
    admin.put("/api/v1/policies/" + id, "\"0\"", Api.policy("p3")).then().statusCode(412);
  }

  @Test
  void aDryRunShowsMaskingAndTheDecisionWithoutSavingAnything() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/policies", Api.policy("masking"));
    admin
        .post(
            "/api/v1/policies/test",
            Map.of(
                "policyId",
                id,
                "sample",
                Map.of(
                    "text",
                    "token ghp_8fK2mQ9xLr4TzW1vB7nC3pY6dH0sJ5aE2gUi in a log line",
                    "sql",
                    "DROP TABLE orders")))
        .then()
        .statusCode(200)
        .body("valid", equalTo(true))
        .body("maskedText", not(containsString("ghp_8fK2mQ9xLr4TzW1vB7nC3pY6dH0sJ5aE2gUi")))
        .body("decision.verdict", equalTo("allow"));
    admin
        .post(
            "/api/v1/policies/test",
            Map.of("document", Map.of("schemaVersion", 7), "sample", Map.of("text", "hello")))
        .then()
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("problems[0].field", equalTo("document/schemaVersion"));
    admin.get("/api/v1/policies").then().body("total", equalTo(1));
  }

  @Test
  void membersReadPoliciesButCannotWriteOrDryRun() {
    String adminToken = TestTokens.newTenantAdmin();
    Api member = new Api(TestTokens.withRoles(adminToken, Roles.MEMBER));
    member.get("/api/v1/policies").then().statusCode(200);
    member.post("/api/v1/policies", Api.policy("mine")).then().statusCode(403);
    member
        .post("/api/v1/policies/test", Map.of("document", Map.of(), "sample", Map.of()))
        .then()
        .statusCode(403);
  }
}
