package dev.ward.controlplane.isolation;

import static io.restassured.RestAssured.given;

import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tenant B calls every endpoint and method on tenant A's objects and gets 404 and nothing of A's;
 * B's lists never show A's objects; and every endpoint refuses a caller without a token.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(120)
class TenantIsolationTest {

  /** One call of the matrix. */
  record Call(String method, String path, Object body) {
    Response send(String token) {
      var request = given().contentType(ContentType.JSON).header("If-Match", "*");
      if (token != null) {
        request = request.auth().oauth2(token);
      }
      if (body != null) {
        request = request.body(body);
      }
      return request.request(method, path);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private Api a;
  private String b;
  private final List<String> secretsOfA = new ArrayList<>();
  private String agent;
  private String policy;
  private String connection;
  private String provider;
  private String apiToken;
  private String session;

  @BeforeEach
  void tenantAOwnsOneOfEverything() {
    String aToken = TestTokens.newTenantAdmin();
    a = new Api(aToken);
    b = TestTokens.newTenantAdmin();
    agent =
        a.post("/api/v1/agents", Map.of("name", "a-edge"))
            .then()
            .statusCode(201)
            .extract()
            .path("agent.id");
    policy = a.create("/api/v1/policies", Api.policy("a-policy"));
    connection =
        a.create(
            "/api/v1/connections",
            Api.connection("a-orders", 5500, "policyId", policy, "secretRef", "env:A_SECRET_REF"));
    provider =
        a.create(
            "/api/v1/identity-providers",
            Map.of(
                "alias", "a-okta",
                "kind", "oidc",
                "displayName", "A Okta",
                "issuerUrl", "https://a.okta.com",
                "clientId", "a-client"));
    apiToken =
        a.post("/api/v1/api-tokens", Map.of("name", "a-ci", "roles", List.of("ward-members")))
            .then()
            .statusCode(201)
            .extract()
            .path("apiToken.id");
    session = UUID.randomUUID().toString();
    UUID tenantA =
        (UUID)
            TestDatabase.queryOne(
                database(), "SELECT tenant_id FROM agents WHERE id = ?", UUID.fromString(agent));
    TestDatabase.queryOne(
        database(),
        "INSERT INTO sessions (id, tenant_id, state, started_at, subject)"
            + " VALUES (?, ?, 'ended', now(), 'a-subject') RETURNING id",
        UUID.fromString(session),
        tenantA);
    secretsOfA.addAll(
        List.of("a-edge", "a-policy", "a-orders", "A_SECRET_REF", "a-okta", "a-ci", "a-subject"));
  }

  private static String database() {
    return ConfigProvider.getConfig().getValue("ward.db.name", String.class);
  }

  private List<Call> callsOnObjectsOfA() {
    return List.of(
        new Call("GET", "/api/v1/agents/" + agent, null),
        new Call("POST", "/api/v1/agents/" + agent + "/revoke", Map.of()),
        new Call("GET", "/api/v1/policies/" + policy, null),
        new Call("PUT", "/api/v1/policies/" + policy, Api.policy("stolen")),
        new Call("DELETE", "/api/v1/policies/" + policy, null),
        new Call(
            "POST",
            "/api/v1/policies/test",
            Map.of("policyId", policy, "sample", Map.of("text", "x"))),
        new Call("GET", "/api/v1/connections/" + connection, null),
        new Call("PUT", "/api/v1/connections/" + connection, Api.connection("stolen", 5501)),
        new Call("DELETE", "/api/v1/connections/" + connection, null),
        new Call("GET", "/api/v1/identity-providers/" + provider, null),
        new Call(
            "PUT",
            "/api/v1/identity-providers/" + provider,
            Map.of(
                "alias", "stolen",
                "kind", "oidc",
                "displayName", "Stolen",
                "issuerUrl", "https://evil.example",
                "clientId", "x")),
        new Call("DELETE", "/api/v1/identity-providers/" + provider, null),
        new Call("POST", "/api/v1/api-tokens/" + apiToken + "/revoke", Map.of()),
        new Call("GET", "/api/v1/sessions/" + session, null));
  }

  private static final List<String> LISTS =
      List.of(
          "/api/v1/agents",
          "/api/v1/policies",
          "/api/v1/connections",
          "/api/v1/identity-providers",
          "/api/v1/api-tokens",
          "/api/v1/sessions",
          "/api/v1/approvals",
          "/api/v1/audit",
          "/api/v1/config");

  @Test
  void anotherTenantGets404ForEveryObjectAndMethodAndNeverData() {
    SoftAssertions softly = new SoftAssertions();
    for (Call call : callsOnObjectsOfA()) {
      Response r = call.send(b);
      softly.assertThat(r.statusCode()).as(call.toString()).isEqualTo(404);
      softly.assertThat(r.contentType()).as(call.toString()).startsWith("application/problem+json");
      secretsOfA.forEach(
          s -> softly.assertThat(r.asString()).as(call.toString()).doesNotContain(s));
    }
    softly.assertAll();
    // Nothing of A's changed under B's attempts.
    a.get("/api/v1/agents/" + agent)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("offline"));
    a.get("/api/v1/policies/" + policy).then().statusCode(200).header("ETag", "\"0\"");
    a.get("/api/v1/connections/" + connection).then().statusCode(200).header("ETag", "\"0\"");
    a.get("/api/v1/identity-providers/" + provider).then().statusCode(200).header("ETag", "\"0\"");
  }

  @Test
  void anotherTenantsListsShowNoneOfTheObjects() {
    SoftAssertions softly = new SoftAssertions();
    for (String list : LISTS) {
      Response r = given().auth().oauth2(b).get(list);
      softly.assertThat(r.statusCode()).as(list).isEqualTo(200);
      for (String id : List.of(agent, policy, connection, provider, apiToken, session)) {
        softly.assertThat(r.asString()).as(list).doesNotContain(id);
      }
      secretsOfA.forEach(s -> softly.assertThat(r.asString()).as(list).doesNotContain(s));
    }
    softly.assertAll();
  }

  @Test
  void everyEndpointRefusesACallerWithoutAToken() {
    SoftAssertions softly = new SoftAssertions();
    List<Call> calls = new ArrayList<>(callsOnObjectsOfA());
    LISTS.forEach(l -> calls.add(new Call("GET", l, null)));
    calls.add(new Call("POST", "/api/v1/connections", Api.connection("x", 5600)));
    calls.add(new Call("POST", "/api/v1/policies", Api.policy("x")));
    calls.add(new Call("POST", "/api/v1/agents", Map.of("name", "x")));
    calls.add(
        new Call(
            "POST", "/api/v1/api-tokens", Map.of("name", "x", "roles", List.of("ward-admins"))));
    for (Call call : calls) {
      Response r = call.send(null);
      softly.assertThat(r.statusCode()).as(call.toString()).isEqualTo(401);
      softly.assertThat(r.contentType()).as(call.toString()).startsWith("application/problem+json");
    }
    softly.assertAll();
  }

  @Test
  void theBootstrapTokenActsOnNoTenant() {
    SoftAssertions softly = new SoftAssertions();
    for (String list : LISTS) {
      softly
          .assertThat(given().auth().oauth2(TestTokens.BOOTSTRAP).get(list).statusCode())
          .as(list)
          .isEqualTo(403);
    }
    softly.assertAll();
  }
}
