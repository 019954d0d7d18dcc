package dev.ward.controlplane.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.ward.controlplane.identity.realm.RealmTemplate;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.RealmLogin;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestKeycloak;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Bearer tokens of tenant realms against a real Keycloak: people signed in by the device grant or
 * through a brokered corporate identity provider, and service accounts by client credentials.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestKeycloak.class, restrictToAnnotatedClass = true)
@Timeout(180)
class RealmTokensTest {

  static final String PASSWORD = "correct-horse-battery-9";

  /** A signed-up tenant and its admin's access token. */
  record SignedUp(String slug, String issuer, String email, String token) {}

  static SignedUp signUp() {
    String org = "Org " + UUID.randomUUID().toString().substring(0, 8);
    String slug = org.toLowerCase().replace(' ', '-');
    String email = "admin@" + slug + ".example";
    String issuer =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("organisation", org, "email", email, "password", PASSWORD))
            .post("/api/v1/signup")
            .then()
            .statusCode(201)
            .extract()
            .path("issuer");
    return new SignedUp(slug, issuer, email, RealmLogin.device(issuer, email, PASSWORD));
  }

  static Keycloak admin() {
    var kc = TestKeycloak.server();
    return KeycloakBuilder.builder()
        .serverUrl(kc.url())
        .realm("master")
        .clientId("admin-cli")
        .username(kc.adminUser())
        .password(kc.adminPassword())
        .build();
  }

  private static String database() {
    return ConfigProvider.getConfig().getValue("ward.db.name", String.class);
  }

  @Test
  void aPersonsRealmTokenActsInTheirTenantWithRolesFromGroups() {
    SignedUp t = signUp();
    JsonPath claims = RealmLogin.claims(t.token());
    assertThat(claims.getList("groups", String.class)).containsExactly("ward-admins");

    Api admin = new Api(t.token());
    String policy = admin.create("/api/v1/policies", Api.policy("p-" + t.slug()));
    admin.get("/api/v1/policies/" + policy).then().statusCode(200);
    // the person was mirrored on first use, with email and groups
    String sub = claims.getString("sub");
    assertThat(TestDatabase.queryOne(database(), "SELECT email FROM users WHERE subject = ?", sub))
        .isEqualTo(t.email());
    assertThat(
            TestDatabase.queryOne(
                database(),
                "SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id"
                    + " JOIN users u ON u.id = m.user_id WHERE u.subject = ?",
                sub))
        .isEqualTo("ward-admins");
    // the audit log names the person by email
    admin
        .get("/api/v1/audit?action=policy.create")
        .then()
        .statusCode(200)
        .body("items[0].actor", equalTo(t.email()));
  }

  @Test
  void anotherTenantsTokenSeesNothingOfThisTenant() {
    SignedUp a = signUp();
    SignedUp b = signUp();
    String policy = new Api(a.token()).create("/api/v1/policies", Api.policy("only-a"));
    new Api(b.token()).get("/api/v1/policies/" + policy).then().statusCode(404);
    new Api(b.token())
        .get("/api/v1/policies")
        .then()
        .statusCode(200)
        .body("items.name", not(hasItem("only-a")));
  }

  @Test
  void forgedExpiredAndForeignTokensAreRefused() {
    SignedUp t = signUp();
    String[] parts = t.token().split("\\.");
    // same header and signature, claims changed to another tenant's realm and groups
    String forgedClaims =
        RealmLogin.claims(t.token()).prettify().replace("ward-admins", "ward-auditors");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(forgedClaims.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    new Api(forged).get("/api/v1/policies").then().statusCode(401);
    // a token of a realm that is not a tenant's (the master realm)
    String master =
        given()
            .formParams(
                Map.of(
                    "grant_type",
                    "password",
                    "client_id",
                    "admin-cli",
                    "username",
                    TestKeycloak.server().adminUser(),
                    "password",
                    TestKeycloak.server().adminPassword()))
            .post(TestKeycloak.server().issuer("master") + "/protocol/openid-connect/token")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    new Api(master).get("/api/v1/policies").then().statusCode(401);
    new Api("not.a.jwt").get("/api/v1/policies").then().statusCode(401);
    // API tokens keep working beside realm tokens
    new Api(TestTokens.newTenantAdmin()).get("/api/v1/policies").then().statusCode(200);
  }

  @Test
  void aMemberTokenCannotAdminister() {
    SignedUp t = signUp();
    try (Keycloak kc = admin()) {
      var realm = kc.realm(RealmTemplate.realmName(t.slug()));
      UserRepresentation u = person("mo@" + t.slug() + ".example", "Mo", "Member");
      realm.users().create(u).close();
      String id = realm.users().search(u.getUsername(), true).get(0).getId();
      realm.users().get(id).joinGroup(group(realm, "ward-members"));
    }
    String member = RealmLogin.device(t.issuer(), "mo@" + t.slug() + ".example", PASSWORD);
    new Api(member).get("/api/v1/connections").then().statusCode(200);
    new Api(member).post("/api/v1/policies", Api.policy("nope")).then().statusCode(403);
  }

  @Test
  void aServiceAccountHasAHumanOwnerAndItsGrantsCarryBoth() {
    SignedUp t = signUp();
    Api admin = new Api(t.token());
    admin.get("/api/v1/connections").then().statusCode(200); // the admin is mirrored now
    admin
        .post("/api/v1/service-accounts", Map.of("name", "nightly", "owner", "nobody@x.example"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("owner"));
    JsonPath created =
        admin
            .post("/api/v1/service-accounts", Map.of("name", "nightly", "owner", t.email()))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    admin
        .post("/api/v1/service-accounts", Map.of("name", "nightly", "owner", t.email()))
        .then()
        .statusCode(409);
    String saToken =
        RealmLogin.clientCredentials(
            created.getString("tokenUrl"),
            created.getString("account.clientId"),
            created.getString("clientSecret"));
    String connection =
        admin.create("/api/v1/connections", Api.connection("sa-db-" + t.slug(), 15433));
    String grant =
        new Api(saToken)
            .post("/api/v1/connections/" + connection + "/grants", Map.of())
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    JsonPath g = RealmLogin.claims(grant);
    String adminSub = RealmLogin.claims(t.token()).getString("sub");
    assertThat(g.getString("sub")).isEqualTo(created.getString("account.subject"));
    assertThat(g.getString("owner.sub")).isEqualTo(adminSub);
    assertThat(g.getString("owner.email")).isEqualTo(t.email());
    assertThat(g.getList("groups", String.class)).contains("ward-members");
    admin
        .get("/api/v1/service-accounts")
        .then()
        .statusCode(200)
        .body("[0].ownerEmail", equalTo(t.email()))
        .body("[0]", not(org.hamcrest.Matchers.hasKey("clientSecret")));
    // a service account cannot administer
    new Api(saToken)
        .post("/api/v1/service-accounts", Map.of("name", "other", "owner", t.email()))
        .then()
        .statusCode(403);
  }

  static UserRepresentation person(String email, String first, String last) {
    UserRepresentation u = new UserRepresentation();
    u.setUsername(email);
    u.setEmail(email);
    u.setEmailVerified(true);
    u.setFirstName(first);
    u.setLastName(last);
    u.setEnabled(true);
    CredentialRepresentation c = new CredentialRepresentation();
    c.setType(CredentialRepresentation.PASSWORD);
    c.setValue(PASSWORD);
    c.setTemporary(false);
    u.setCredentials(List.of(c));
    return u;
  }

  static String group(org.keycloak.admin.client.resource.RealmResource realm, String name) {
    return realm.groups().groups().stream()
        .filter(g -> g.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getId();
  }
}
