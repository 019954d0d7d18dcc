package dev.ward.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.ward.controlplane.secrets.Envelope;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class IdentityProviderResourceTest {

  private static final String SECRET = "okta-client-secret-0123456789";

  /**
   * Opens a sealed secret the way TenantKeys does, from the rows in the database and the master
   * key: unwraps {@code keyOwner}'s data key and opens the value as {@code claimedOwner}'s.
   */
  private static String open(UUID keyOwner, UUID claimedOwner, String purpose, byte[] sealed) {
    byte[] wrapped =
        (byte[])
            TestDatabase.queryOne(
                database(), "SELECT wrapped_key FROM tenant_keys WHERE tenant_id = ?", keyOwner);
    SecretKey master = Envelope.key(Base64.getDecoder().decode(TestDatabase.MASTER_KEY));
    SecretKey dataKey =
        Envelope.key(
            Envelope.open(
                master, wrapped, ("tenant-data-key:" + keyOwner).getBytes(StandardCharsets.UTF_8)));
    return new String(
        Envelope.open(
            dataKey,
            sealed,
            ("tenant:" + claimedOwner + "/" + purpose).getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  static Map<String, Object> okta(Object... overrides) {
    Map<String, Object> body = new HashMap<>();
    body.put("alias", "okta");
    body.put("kind", "oidc");
    body.put("displayName", "Okta");
    body.put("issuerUrl", "https://example.okta.com");
    body.put("clientId", "ward");
    body.put("clientSecret", SECRET);
    body.put("groupMapping", Map.of("Engineering", "ward-members"));
    for (int i = 0; i < overrides.length; i += 2) {
      body.put((String) overrides[i], overrides[i + 1]);
    }
    return body;
  }

  private static String database() {
    return ConfigProvider.getConfig().getValue("ward.db.name", String.class);
  }

  @Test
  void theClientSecretIsStoredSealedAndNeverShown() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id =
        admin
            .post("/api/v1/identity-providers", okta())
            .then()
            .statusCode(201)
            .body("clientSecretSet", equalTo(true))
            .body("groupMapping.Engineering", equalTo("ward-members"))
            .body(not(containsString(SECRET)))
            .extract()
            .path("id");
    admin.get("/api/v1/identity-providers/" + id).then().body(not(containsString(SECRET)));
    admin
        .get("/api/v1/audit?targetType=identity-provider")
        .then()
        .body(not(containsString(SECRET)));

    byte[] sealed =
        (byte[])
            TestDatabase.queryOne(
                database(),
                "SELECT client_secret_sealed FROM identity_providers WHERE id = ?",
                UUID.fromString(id));
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    UUID tenant =
        (UUID)
            TestDatabase.queryOne(
                database(),
                "SELECT tenant_id FROM identity_providers WHERE id = ?",
                UUID.fromString(id));
    assertThat(open(tenant, tenant, "identity-provider/" + id + "/client-secret", sealed))
        .isEqualTo(SECRET);
  }

  @Test
  void aSecretSealedForOneTenantDoesNotOpenForAnother() {
    Api a = new Api(TestTokens.newTenantAdmin());
    String id = a.create("/api/v1/identity-providers", okta());
    byte[] sealed =
        (byte[])
            TestDatabase.queryOne(
                database(),
                "SELECT client_secret_sealed FROM identity_providers WHERE id = ?",
                UUID.fromString(id));
    Api b = new Api(TestTokens.newTenantAdmin());
    b.create("/api/v1/identity-providers", okta());
    UUID tenantB =
        (UUID)
            TestDatabase.queryOne(
                database(),
                "SELECT tenant_id FROM identity_providers WHERE id <> ? ORDER BY created_at DESC LIMIT 1",
                UUID.fromString(id));
    UUID tenantA =
        (UUID)
            TestDatabase.queryOne(
                database(),
                "SELECT tenant_id FROM identity_providers WHERE id = ?",
                UUID.fromString(id));
    String purpose = "identity-provider/" + id + "/client-secret";
    assertThat(open(tenantA, tenantA, purpose, sealed)).isEqualTo(SECRET);
    // B's data key does not open it, nor does A's key when the value claims to be B's.
    assertThatThrownBy(() -> open(tenantB, tenantB, purpose, sealed))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
    assertThatThrownBy(() -> open(tenantA, tenantB, purpose, sealed))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
  }

  @Test
  void replacingWithoutASecretKeepsItAndAnEmptyOneRemovesIt() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String id = admin.create("/api/v1/identity-providers", okta());
    Map<String, Object> noSecret = okta("displayName", "Okta SSO");
    noSecret.remove("clientSecret");
    admin
        .put("/api/v1/identity-providers/" + id, "\"0\"", noSecret)
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Okta SSO"))
        .body("clientSecretSet", equalTo(true));
    admin
        .put("/api/v1/identity-providers/" + id, "\"1\"", okta("clientSecret", ""))
        .then()
        .statusCode(200)
        .body("clientSecretSet", equalTo(false));
  }

  @Test
  void anOidcProviderNeedsItsIssuerAndClientIdAndSamlItsMetadata() {
    Api admin = new Api(TestTokens.newTenantAdmin());
    Map<String, Object> incomplete = okta();
    incomplete.remove("issuerUrl");
    incomplete.remove("clientId");
    admin
        .post("/api/v1/identity-providers", incomplete)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("issuerUrl"))
        .body("errors.field", hasItem("clientId"));
    admin
        .post("/api/v1/identity-providers", okta("kind", "saml", "alias", "entra"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("metadataUrl"));
    admin
        .post("/api/v1/identity-providers", okta("kind", "ldap"))
        .then()
        .statusCode(400)
        .body(
            "errors[0].field",
            equalTo("kind")); // a provider that never had a metadata document cannot keep one on
    // replace
    String id = admin.create("/api/v1/identity-providers", okta("alias", "okta-2"));
    admin
        .put("/api/v1/identity-providers/" + id, "\"0\"", okta("kind", "saml", "alias", "okta-2"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("metadataUrl"));
  }

  @Test
  void onlyAdminsSeeIdentityProviders() {
    String adminToken = TestTokens.newTenantAdmin();
    new Api(adminToken).create("/api/v1/identity-providers", okta());
    Api auditor = new Api(TestTokens.withRoles(adminToken, Roles.AUDITOR));
    auditor.get("/api/v1/identity-providers").then().statusCode(403);
    auditor.post("/api/v1/identity-providers", okta("alias", "x")).then().statusCode(403);
  }
}
