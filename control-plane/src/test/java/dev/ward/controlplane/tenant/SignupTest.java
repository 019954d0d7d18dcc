package dev.ward.controlplane.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestKeycloak;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.stack.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestKeycloak.class, restrictToAnnotatedClass = true)
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignupTest {

  static final String PASSWORD = "correct-horse-battery-9";

  static Keycloak admin() {
    KeycloakServer kc = TestKeycloak.server();
    return KeycloakBuilder.builder()
        .serverUrl(kc.url())
        .realm("master")
        .clientId("admin-cli")
        .username(kc.adminUser())
        .password(kc.adminPassword())
        .build();
  }

  static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  static Response signUp(String organisation, String email, String password) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("organisation", organisation, "email", email, "password", password))
        .post("/api/v1/signup");
  }

  private static long tenantRows(String slug) {
    return (Long)
        TestDatabase.queryOne(
            ConfigProvider.getConfig().getValue("ward.db.name", String.class),
            "SELECT count(*) FROM tenants WHERE slug = ?",
            slug);
  }

  @Test
  void signUpCreatesTheTenantRealmWithItsClientsGroupsAndAdmin() {
    String org = unique("Acme Rockets ");
    String slug = org.toLowerCase().replace(' ', '-');
    String issuer =
        signUp(org, "ada@" + slug + ".example", PASSWORD)
            .then()
            .statusCode(201)
            .body("slug", equalTo(slug))
            .body("realm", equalTo("ward-" + slug))
            .body("issuer", equalTo(TestKeycloak.server().issuer("ward-" + slug)))
            .body("consoleUrl", startsWith("http://"))
            .body("tenantId", notNullValue())
            .extract()
            .path("issuer");

    given()
        .get(issuer + "/.well-known/openid-configuration")
        .then()
        .statusCode(200)
        .body("issuer", equalTo(issuer));
    try (Keycloak kc = admin()) {
      var realm = kc.realm("ward-" + slug);
      RealmRepresentation r = realm.toRepresentation();
      assertThat(r.isRegistrationAllowed()).isFalse();
      assertThat(realm.groups().groups().stream().map(GroupRepresentation::getName))
          .containsExactlyInAnyOrder(
              "ward-admins", "ward-approvers", "ward-auditors", "ward-members");
      ClientRepresentation console = realm.clients().findByClientId("ward-console").get(0);
      assertThat(console.isPublicClient()).isTrue();
      assertThat(console.isStandardFlowEnabled()).isTrue();
      assertThat(console.isDirectAccessGrantsEnabled()).isFalse();
      assertThat(console.getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
      assertThat(console.getRedirectUris()).hasSize(1);
      assertThat(console.getProtocolMappers())
          .anySatisfy(m -> assertThat(m.getConfig()).containsEntry("claim.name", "groups"));
      ClientRepresentation cli = realm.clients().findByClientId("ward-cli").get(0);
      assertThat(cli.isPublicClient()).isTrue();
      assertThat(cli.getAttributes())
          .containsEntry("oauth2.device.authorization.grant.enabled", "true");
      List<UserRepresentation> users = realm.users().search("ada@" + slug + ".example", true);
      assertThat(users).hasSize(1);
      assertThat(
              realm.users().get(users.get(0).getId()).groups().stream()
                  .map(GroupRepresentation::getName))
          .containsExactly("ward-admins");
    }
    assertThat(tenantRows(slug)).isEqualTo(1);
  }

  @Test
  void theSameSignUpAgainAnswersTheSameTenantWithoutADuplicate() {
    String org = unique("Idem ");
    String email = "grace@" + org.toLowerCase().replace(' ', '-') + ".example";
    Response first = signUp(org, email, PASSWORD);
    first.then().statusCode(201);
    Response second = signUp(org, email, PASSWORD);
    second.then().statusCode(200);
    assertThat(second.jsonPath().getMap("")).isEqualTo(first.jsonPath().getMap(""));
    String slug = first.path("slug");
    assertThat(tenantRows(slug)).isEqualTo(1);
    try (Keycloak kc = admin()) {
      assertThat(kc.realm("ward-" + slug).users().count()).isEqualTo(1);
    }
  }

  @Test
  void anotherPersonSigningUpTheSameOrganisationIsRefused() {
    String org = unique("Taken ");
    String domain = org.toLowerCase().replace(' ', '-') + ".example";
    signUp(org, "first@" + domain, PASSWORD).then().statusCode(201);
    signUp(org, "first@" + domain, "not-the-password-1")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    signUp(org, "second@" + domain, PASSWORD)
        .then()
        .statusCode(409)
        .body("detail", containsString("taken"));
  }

  @Test
  void aConflictingRealmLeavesNoTenantBehindAndTheForeignRealmUntouched() {
    String slug = unique("clash-");
    try (Keycloak kc = admin()) {
      RealmRepresentation foreign = new RealmRepresentation();
      foreign.setRealm("ward-" + slug);
      foreign.setEnabled(true);
      foreign.setDisplayName("not made by Ward");
      kc.realms().create(foreign);

      signUp(slug, "x@" + slug + ".example", PASSWORD)
          .then()
          .statusCode(409)
          .contentType("application/problem+json");

      assertThat(tenantRows(slug)).isZero();
      assertThat(kc.realm("ward-" + slug).toRepresentation().getDisplayName())
          .isEqualTo("not made by Ward");
    }
  }

  @Test
  void discoveryNamesTheIssuerAndClientsBySlugOrOrganisation() {
    String org = unique("Discover ");
    String slug = org.toLowerCase().replace(' ', '-');
    signUp(org, "d@" + slug + ".example", PASSWORD).then().statusCode(201);
    for (String query : List.of(slug, org.toUpperCase())) {
      Map<String, Object> body =
          given()
              .queryParam("tenant", query)
              .get("/api/v1/auth/discovery")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getMap("");
      assertThat(body)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "tenant",
                  slug,
                  "issuer",
                  TestKeycloak.server().issuer("ward-" + slug),
                  "consoleClientId",
                  "ward-console",
                  "cliClientId",
                  "ward-cli"));
    }
    given()
        .queryParam("tenant", "no-such-tenant")
        .get("/api/v1/auth/discovery")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get("/api/v1/auth/discovery").then().statusCode(400);
  }

  @Test
  void badSignUpsAreRefusedWithTheFieldsToFix() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("organisation", "x".repeat(101), "email", "not-an-email", "password", "short"))
        .post("/api/v1/signup")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItems("organisation", "email", "password"));
    signUp("!!", "a@b.example", PASSWORD).then().statusCode(400);
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it uses up this address's sign-ups for the minute
  void signUpsFromOneAddressAreRateLimited() {
    // A tenant without a realm answers 409 at once, so the limit (30 a minute here) is reached
    // well within one window even on a slow machine.
    given()
        .auth()
        .oauth2(TestTokens.BOOTSTRAP)
        .contentType(ContentType.JSON)
        .body(Map.of("slug", "rate-limited", "name", "Rate Limited"))
        .post("/api/v1/admin/tenants")
        .then()
        .statusCode(201);
    int status = 0;
    for (int i = 0; i < 40 && status != 429; i++) {
      status = signUp("Rate Limited", "r@rate.example", PASSWORD).statusCode();
      assertThat(status).isIn(409, 429);
    }
    assertThat(status).isEqualTo(429);
    signUp("Rate Limited", "r@rate.example", PASSWORD)
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", org.hamcrest.Matchers.notNullValue())
        .body("detail", containsString("retry in"));
  }
}
