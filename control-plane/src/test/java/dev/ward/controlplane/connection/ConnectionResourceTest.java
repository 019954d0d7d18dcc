package dev.ward.controlplane.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

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
class ConnectionResourceTest {

  @Test
  void anAdminCreatesAConnectionWithDefaultsAndGetsItsETag() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String policy = admin.create("/api/v1/policies", Api.policy("readonly"));
    var created =
        admin
            .post(
                "/api/v1/connections",
                Api.connection("orders-db", 6432, "policyId", policy, "database", "orders"))
            .then()
            .statusCode(201)
            .header("ETag", equalTo("\"0\""))
            .body("name", equalTo("orders-db"))
            .body("kind", equalTo("postgres"))
            .body("listenHost", equalTo("127.0.0.1"))
            .body("upstreamTls", equalTo("verify-full"))
            .body("recordingMode", equalTo("best-effort"))
            .body("offlineMode", equalTo("fail-closed"))
            .body("allowPlaintextGrant", equalTo(false))
            .body("secretRef", equalTo("env:APP_DB_PASSWORD"))
            .body("policyId", equalTo(policy))
            .body("agents", hasSize(0))
            .extract();
    String id = created.path("id");
    admin
        .get("/api/v1/connections/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"0\""))
        .body("database", equalTo("orders"));
  }

  @Test
  void invalidFieldsAreRejectedWithEachFieldNamed() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin
        .post(
            "/api/v1/connections",
            Api.connection(
                "Bad Name", 0, "kind", "mysql", "secretRef", "hunter2", "upstreamTls", "maybe"))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("kind"))
        .body("errors.field", hasItem("listenPort"))
        .body("errors.field", hasItem("secretRef"))
        .body("errors.field", hasItem("upstreamTls"))
        .body("errors.find { it.field == 'secretRef' }.message", containsString("env:NAME"));
  }

  @Test
  void aPostgresTargetMustBeHostAndPortAndAnHttpTargetAUrl() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin
        .post("/api/v1/connections", Api.connection("pg", 7001, "target", "https://db"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("target"));
    admin
        .post(
            "/api/v1/connections",
            Api.connection("api", 7002, "kind", "http", "target", "db.internal:80"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("target"));
    admin
        .post(
            "/api/v1/connections",
            Api.connection(
                "api",
                7002,
                "kind",
                "http",
                "target",
                "https://api.internal",
                "credentialStyle",
                "header:X-Api-Key"))
        .then()
        .statusCode(201);
  }

  @Test
  void aPolicyOfAnotherTenantCannotBeReferenced() {
    Api other = new Api(TestTokens.newTenantAdmin());
    String foreign = other.create("/api/v1/policies", Api.policy("theirs"));
    new Api(TestTokens.newTenantAdmin())
        .post("/api/v1/connections", Api.connection("db", 7003, "policyId", foreign))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("policyId"))
        .body("errors[0].message", containsString("no policy with this id"));
  }

  @Test
  void twoConnectionsCannotListenOnTheSamePortOfTheSameAgent() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin.post("/api/v1/agents", Map.of("name", "edge-a")).then().statusCode(201);
    admin.post("/api/v1/agents", Map.of("name", "edge-b")).then().statusCode(201);
    admin.create("/api/v1/connections", Api.connection("one", 7100, "agents", List.of("edge-a")));
    admin
        .post("/api/v1/connections", Api.connection("two", 7100, "agents", List.of("edge-a")))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("Port 7100 is already used by connection 'one'"));
    // Every agent serves a connection without agents, edge-a included.
    admin.post("/api/v1/connections", Api.connection("three", 7100)).then().statusCode(409);
    admin
        .post("/api/v1/connections", Api.connection("four", 7100, "agents", List.of("edge-b")))
        .then()
        .statusCode(201)
        .body("agents", equalTo(List.of("edge-b")));
  }

  @Test
  void anUnknownAgentIsRejectedAndAnAgentMayBeNamedByItsId() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String agentId =
        admin
            .post("/api/v1/agents", Map.of("name", "edge"))
            .then()
            .statusCode(201)
            .extract()
            .path("agent.id");
    admin
        .post("/api/v1/connections", Api.connection("db", 7200, "agents", List.of("nowhere")))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("agents"))
        .body("errors[0].message", containsString("nowhere"));
    admin
        .post("/api/v1/connections", Api.connection("db", 7200, "agents", List.of(agentId)))
        .then()
        .statusCode(201)
        .body("agents", equalTo(List.of("edge")));
  }

  @Test
  void aDuplicateNameIsAConflict() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin.create("/api/v1/connections", Api.connection("twin", 7300));
    admin
        .post("/api/v1/connections", Api.connection("twin", 7301))
        .then()
        .statusCode(409)
        .body("detail", containsString("choose another name"));
  }

  @Test
  void anUpdateWithoutIfMatchIs428AndWithAStaleETagIs412() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/connections", Api.connection("db", 7400));
    String path = "/api/v1/connections/" + id;
    admin
        .put(path, null, Api.connection("db", 7401))
        .then()
        .statusCode(428)
        .contentType("application/problem+json")
        .body("detail", containsString("If-Match"));
    String etag =
        admin
            .put(path, "\"0\"", Api.connection("db", 7401))
            .then()
            .statusCode(200)
            .body("listenPort", equalTo(7401))
            .extract()
            .header("ETag");
    assertThat(etag).isEqualTo("\"1\"");
    // A second admin still holding version 0 cannot overwrite the change.
    admin
        .put(path, "\"0\"", Api.connection("db", 7402))
        .then()
        .statusCode(412)
        .body("detail", containsString("GET it again"));
    admin.delete(path, null).then().statusCode(428);
    admin.delete(path, "\"0\"").then().statusCode(412);
    admin.delete(path, etag).then().statusCode(204);
    admin.get(path).then().statusCode(404);
  }

  @Test
  void listsArePagedSortedAndFiltered() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin.create("/api/v1/connections", Api.connection("c-db", 7501));
    admin.create(
        "/api/v1/connections",
        Api.connection("a-api", 7502, "kind", "http", "target", "https://a.internal"));
    admin.create("/api/v1/connections", Api.connection("b-db", 7503));
    admin
        .get("/api/v1/connections?size=2")
        .then()
        .statusCode(200)
        .body("items.name", equalTo(List.of("a-api", "b-db")))
        .body("total", equalTo(3))
        .body("page", equalTo(0))
        .body("size", equalTo(2));
    admin
        .get("/api/v1/connections?size=2&page=1")
        .then()
        .body("items.name", equalTo(List.of("c-db")));
    admin
        .get("/api/v1/connections?sort=-listenPort")
        .then()
        .body("items.listenPort", equalTo(List.of(7503, 7502, 7501)));
    admin
        .get("/api/v1/connections?kind=postgres&sort=-name")
        .then()
        .body("items.name", equalTo(List.of("c-db", "b-db")));
    admin.get("/api/v1/connections?name=B").then().body("items.name", equalTo(List.of("b-db")));
  }

  @Test
  void badPagingParametersAre400sNamingTheParameter() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    admin
        .get("/api/v1/connections?size=1000")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("size"));
    admin
        .get("/api/v1/connections?page=x")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("page"));
    admin
        .get("/api/v1/connections?sort=secretRef")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("sort"))
        .body("errors[0].message", containsString("name"));
    admin
        .get("/api/v1/connections?policyId=nope")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("policyId"));
  }

  @Test
  void membersReadConnectionsButOnlyAdminsWriteThem() {
    String adminToken = TestTokens.newTenantAdmin();
    Api admin = new Api(adminToken);
    Api member = new Api(TestTokens.withRoles(adminToken, Roles.MEMBER));
    String id = admin.create("/api/v1/connections", Api.connection("db", 7600));
    member.get("/api/v1/connections").then().statusCode(200).body("items", hasSize(1));
    member.get("/api/v1/connections/" + id).then().statusCode(200);
    member
        .post("/api/v1/connections", Api.connection("mine", 7601))
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    member
        .put("/api/v1/connections/" + id, "\"0\"", Api.connection("db", 7602))
        .then()
        .statusCode(403);
    member.delete("/api/v1/connections/" + id, "\"0\"").then().statusCode(403);
  }

  @Test
  void everyChangeIsAuditedWithBeforeAndAfter() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/connections", Api.connection("db", 7700));
    admin
        .put("/api/v1/connections/" + id, "\"0\"", Api.connection("db", 7701))
        .then()
        .statusCode(200);
    admin.delete("/api/v1/connections/" + id, "\"1\"").then().statusCode(204);
    admin
        .get("/api/v1/audit?targetId=" + id + "&sort=occurredAt")
        .then()
        .statusCode(200)
        .body(
            "items.action",
            equalTo(List.of("connection.create", "connection.update", "connection.delete")))
        .body("items[0].before", nullValue())
        .body("items[0].after.listenPort", equalTo(7700))
        .body("items[1].before.listenPort", equalTo(7700))
        .body("items[1].after.listenPort", equalTo(7701))
        .body("items[2].after", nullValue())
        .body("items[0].actor", equalTo("api-token:initial-admin"));
  }

  @Test
  void theConfigVersionIsBumpedByEveryChange() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    long before = ((Number) admin.get("/api/v1/config").path("version")).longValue();
    String id = admin.create("/api/v1/connections", Api.connection("db", 7800));
    admin.delete("/api/v1/connections/" + id, "\"0\"").then().statusCode(204);
    admin
        .get("/api/v1/config")
        .then()
        .statusCode(200)
        .body("version", equalTo((int) before + 2))
        .body("$", not(containsString("secret")));
  }
}
