package dev.ward.controlplane.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.ward.controlplane.identity.realm.RealmTemplate;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.RealmLogin;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestKeycloak;
import dev.ward.stack.KeycloakBrowser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.KeysMetadataRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The broker chain against a real Keycloak: a second realm, {@code corp}, plays the company's own
 * identity provider. The tenant admin adds it through the API; a person of {@code corp} signs in to
 * the tenant realm through it, lands in the group the mapping names and is that person to Ward. For
 * SAML, the admin pastes {@code corp}'s SAML descriptor and the brokered provider is checked
 * against what the descriptor says.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestKeycloak.class, restrictToAnnotatedClass = true)
@Timeout(300)
class BrokeredSignInTest {

  static final String CORP = "corp";
  static final String CORP_SECRET = "corp-broker-secret-" + UUID.randomUUID();
  static final String PERSON = "grace";
  static final String PERSON_EMAIL = "grace@corp.example";

  /** The corporate realm, with a person in its Engineering group; made once per Keycloak. */
  static synchronized void corpRealm(Keycloak kc) {
    if (kc.realms().findAll().stream().anyMatch(r -> r.getRealm().equals(CORP))) {
      return;
    }
    RealmRepresentation corp = new RealmRepresentation();
    corp.setRealm(CORP);
    corp.setEnabled(true);
    kc.realms().create(corp);
    RealmResource realm = kc.realm(CORP);
    GroupRepresentation engineering = new GroupRepresentation();
    engineering.setName("Engineering");
    realm.groups().add(engineering).close();
    var person = RealmTokensTest.person(PERSON_EMAIL, "Grace", "Hopper");
    person.setUsername(PERSON);
    realm.users().create(person).close();
    String id = realm.users().search(PERSON, true).get(0).getId();
    realm.users().get(id).joinGroup(RealmTokensTest.group(realm, "Engineering"));
  }

  /** A confidential OIDC client of {@code corp} for the tenant realm's broker endpoint. */
  static void corpOidcClient(Keycloak kc, String tenantRealm, String clientId) {
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(clientId);
    c.setEnabled(true);
    c.setProtocol("openid-connect");
    c.setPublicClient(false);
    c.setSecret(CORP_SECRET);
    c.setStandardFlowEnabled(true);
    c.setDirectAccessGrantsEnabled(false);
    c.setRedirectUris(
        List.of(TestKeycloak.server().issuer(tenantRealm) + "/broker/" + CORP + "/endpoint"));
    c.setProtocolMappers(new ArrayList<>(List.of(RealmTemplate.groupsClaim())));
    kc.realm(CORP).clients().create(c).close();
  }

  /**
   * A SAML client of {@code corp} for the tenant realm's broker: the broker's entity id is the
   * tenant realm's URL, responses go to its endpoint, signed; the NameID is the email; name and
   * groups travel as attributes.
   */
  static void corpSamlClient(Keycloak kc, String tenantIssuer, String alias) {
    String acs = tenantIssuer + "/broker/" + alias + "/endpoint";
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(tenantIssuer);
    c.setEnabled(true);
    c.setProtocol("saml");
    c.setRedirectUris(List.of(acs, acs + "/*"));
    Map<String, String> attributes = new HashMap<>();
    attributes.put("saml_assertion_consumer_url_post", acs);
    attributes.put("saml.client.signature", "false");
    attributes.put("saml.server.signature", "true");
    attributes.put("saml.authnstatement", "true");
    attributes.put("saml.force.name.id.format", "true");
    attributes.put("saml_name_id_format", "email");
    c.setAttributes(attributes);
    List<ProtocolMapperRepresentation> mappers = new ArrayList<>();
    for (String property : List.of("email", "firstName", "lastName")) {
      ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
      m.setName(property);
      m.setProtocol("saml");
      m.setProtocolMapper("saml-user-property-mapper");
      m.setConfig(
          new HashMap<>(
              Map.of(
                  "user.attribute", property,
                  "attribute.name", property,
                  "attribute.nameformat", "Basic")));
      mappers.add(m);
    }
    ProtocolMapperRepresentation groups = new ProtocolMapperRepresentation();
    groups.setName("groups");
    groups.setProtocol("saml");
    groups.setProtocolMapper("saml-group-membership-mapper");
    groups.setConfig(
        new HashMap<>(
            Map.of(
                "attribute.name", "groups",
                "attribute.nameformat", "Basic",
                "full.path", "false",
                "single", "true")));
    mappers.add(groups);
    c.setProtocolMappers(mappers);
    kc.realm(CORP).clients().create(c).close();
  }

  /** The tenant realm imports the person's name and email from corp's SAML attributes. */
  static void importNameAttributes(Keycloak kc, String tenantRealm, String alias) {
    var provider = kc.realm(tenantRealm).identityProviders().get(alias);
    for (String property : List.of("email", "firstName", "lastName")) {
      IdentityProviderMapperRepresentation m = new IdentityProviderMapperRepresentation();
      m.setName("import-" + property);
      m.setIdentityProviderAlias(alias);
      m.setIdentityProviderMapper("saml-user-attribute-idp-mapper");
      m.setConfig(
          new HashMap<>(
              Map.of(
                  "syncMode", "FORCE",
                  "attribute.name", property,
                  "user.attribute", property)));
      provider.addMapper(m).close();
    }
  }

  static String consoleUrl() {
    return ConfigProvider.getConfig().getValue("ward.console-url", String.class);
  }

  /**
   * Signs in to the tenant's console client with authorization code + PKCE, sent straight to the
   * brokered provider by {@code kc_idp_hint}; returns the tenant realm's access token.
   */
  static String signInThroughBroker(String issuer, String alias) throws Exception {
    String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String redirect = consoleUrl() + "/signed-in";
    String url =
        issuer
            + "/protocol/openid-connect/auth?client_id="
            + RealmTemplate.CONSOLE_CLIENT
            + "&response_type=code&scope=openid&state=s1&redirect_uri="
            + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
            + "&code_challenge="
            + challenge
            + "&code_challenge_method=S256&kc_idp_hint="
            + alias;
    KeycloakBrowser.Outcome outcome =
        new KeycloakBrowser().signIn(url, PERSON, RealmTokensTest.PASSWORD, redirect);
    assertThat(outcome.redirect()).as("sign-in ended on: %s", outcome.page()).isNotNull();
    Map<String, String> query = query(URI.create(outcome.redirect()).getRawQuery());
    assertThat(query).containsEntry("state", "s1").containsKey("code");
    return given()
        .formParams(
            Map.of(
                "grant_type",
                "authorization_code",
                "client_id",
                RealmTemplate.CONSOLE_CLIENT,
                "code",
                query.get("code"),
                "redirect_uri",
                redirect,
                "code_verifier",
                verifier))
        .post(issuer + "/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  @Test
  void aCorporatePersonSignsInThroughTheOidcBrokerAndLandsInTheMappedGroup() throws Exception {
    RealmTokensTest.SignedUp t = RealmTokensTest.signUp();
    String tenantRealm = RealmTemplate.realmName(t.slug());
    String clientId = "ward-" + t.slug();
    try (Keycloak kc = RealmTokensTest.admin()) {
      corpRealm(kc);
      corpOidcClient(kc, tenantRealm, clientId);
    }
    Api admin = new Api(t.token());
    admin
        .post(
            "/api/v1/identity-providers",
            Map.of(
                "alias",
                CORP,
                "kind",
                "oidc",
                "displayName",
                "Corp SSO",
                "issuerUrl",
                TestKeycloak.server().issuer(CORP),
                "clientId",
                clientId,
                "clientSecret",
                CORP_SECRET,
                "groupMapping",
                Map.of("Engineering", "ward-members")))
        .then()
        .statusCode(201);

    String token = signInThroughBroker(t.issuer(), CORP);
    JsonPath claims = RealmLogin.claims(token);
    assertThat(claims.getString("iss")).isEqualTo(t.issuer());
    assertThat(claims.getString("email")).isEqualTo(PERSON_EMAIL);
    assertThat(claims.getList("groups", String.class)).containsExactly("ward-members");

    new Api(token)
        .get("/api/v1/auth/me")
        .then()
        .statusCode(200)
        .body("email", equalTo(PERSON_EMAIL))
        .body("roles", equalTo(List.of("ward-members")));
    // a member, not an admin
    new Api(token).get("/api/v1/identity-providers").then().statusCode(403);
    try (Keycloak kc = RealmTokensTest.admin()) {
      var users = kc.realm(tenantRealm).users().searchByEmail(PERSON_EMAIL, true);
      assertThat(users).singleElement();
      assertThat(kc.realm(tenantRealm).users().get(users.get(0).getId()).getFederatedIdentity())
          .singleElement()
          .satisfies(f -> assertThat(f.getIdentityProvider()).isEqualTo(CORP));
    }
  }

  @Test
  void samlMetadataXmlBecomesABrokeredProviderWithTheDescriptorsEndpointAndCertificate() {
    RealmTokensTest.SignedUp t = RealmTokensTest.signUp();
    String tenantRealm = RealmTemplate.realmName(t.slug());
    String corpIssuer = TestKeycloak.server().issuer(CORP);
    String descriptor;
    String corpCertificate;
    try (Keycloak kc = RealmTokensTest.admin()) {
      corpRealm(kc);
      corpCertificate =
          kc.realm(CORP).keys().getKeyMetadata().getKeys().stream()
              .filter(k -> "RS256".equals(k.getAlgorithm()) && k.getCertificate() != null)
              .map(KeysMetadataRepresentation.KeyMetadataRepresentation::getCertificate)
              .findFirst()
              .orElseThrow();
    }
    descriptor =
        given()
            .get(corpIssuer + "/protocol/saml/descriptor")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    Api admin = new Api(t.token());
    Map<String, Object> body = new HashMap<>();
    body.put("alias", "corp-saml");
    body.put("kind", "saml");
    body.put("displayName", "Corp SAML");
    body.put("metadataXml", descriptor);
    body.put("groupMapping", Map.of("Engineering", "ward-approvers"));
    String id =
        admin
            .post("/api/v1/identity-providers", body)
            .then()
            .statusCode(201)
            .body("samlEntityId", equalTo(corpIssuer))
            .body("samlSsoUrl", startsWith(corpIssuer + "/protocol/saml"))
            .extract()
            .path("id");
    admin
        .get("/api/v1/identity-providers/" + id)
        .then()
        .statusCode(200)
        .body("kind", equalTo("saml"))
        .body("samlEntityId", equalTo(corpIssuer));

    try (Keycloak kc = RealmTokensTest.admin()) {
      var provider = kc.realm(tenantRealm).identityProviders().get("corp-saml");
      Map<String, String> config = provider.toRepresentation().getConfig();
      assertThat(provider.toRepresentation().getProviderId()).isEqualTo("saml");
      assertThat(config)
          .containsEntry("idpEntityId", corpIssuer)
          .containsEntry("singleSignOnServiceUrl", corpIssuer + "/protocol/saml")
          .containsEntry("validateSignature", "true");
      assertThat(config.get("signingCertificate").split(",")).contains(corpCertificate);
      assertThat(provider.getMappers())
          .extracting(IdentityProviderMapperRepresentation::getIdentityProviderMapper)
          .containsExactly("saml-advanced-group-idp-mapper");
      // the broker's own descriptor (what corp is configured with) names the tenant realm
      String spDescriptor =
          given()
              .get(t.issuer() + "/broker/corp-saml/endpoint/descriptor")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertThat(spDescriptor)
          .contains("entityID=\"" + t.issuer() + "\"")
          .contains(t.issuer() + "/broker/corp-saml/endpoint");
    }

    // an edit that does not resend the document (the API never shows it) keeps it
    body.remove("metadataXml");
    body.put("groupMapping", Map.of("Engineering", "ward-members"));
    admin
        .put("/api/v1/identity-providers/" + id, "\"0\"", body)
        .then()
        .statusCode(200)
        .body("samlEntityId", equalTo(corpIssuer))
        .body("samlSsoUrl", startsWith(corpIssuer + "/protocol/saml"))
        .body("groupMapping.Engineering", equalTo("ward-members"));
    try (Keycloak kc = RealmTokensTest.admin()) {
      Map<String, String> config =
          kc.realm(tenantRealm).identityProviders().get("corp-saml").toRepresentation().getConfig();
      assertThat(config)
          .containsEntry("idpEntityId", corpIssuer)
          .containsEntry("validateSignature", "true");
      assertThat(config.get("signingCertificate").split(",")).contains(corpCertificate);
    }
  }

  @Test
  void samlMetadataThatIsNotUsableIsRefusedWithTheReason() {
    RealmTokensTest.SignedUp t = RealmTokensTest.signUp();
    Api admin = new Api(t.token());
    Map<String, Object> body = new HashMap<>();
    body.put("alias", "bad-saml");
    body.put("kind", "saml");
    body.put("displayName", "Bad");
    body.put("metadataXml", "<not-closed");
    admin
        .post("/api/v1/identity-providers", body)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("metadataXml"));
    body.put(
        "metadataXml",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
            + " entityID=\"&x;\"/>");
    admin
        .post("/api/v1/identity-providers", body)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("metadataXml"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("DTD"));
    body.put(
        "metadataXml",
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
            + " entityID=\"https://sp.example\"><md:SPSSODescriptor"
            + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"
            + "</md:EntityDescriptor>");
    admin
        .post("/api/v1/identity-providers", body)
        .then()
        .statusCode(400)
        .body("errors[0].message", org.hamcrest.Matchers.containsString("IDPSSODescriptor"));
  }

  @Test
  void aCorporatePersonSignsInThroughTheSamlBrokerAndLandsInTheMappedGroup() throws Exception {
    RealmTokensTest.SignedUp t = RealmTokensTest.signUp();
    String tenantRealm = RealmTemplate.realmName(t.slug());
    String corpIssuer = TestKeycloak.server().issuer(CORP);
    try (Keycloak kc = RealmTokensTest.admin()) {
      corpRealm(kc);
      corpSamlClient(kc, t.issuer(), "corp-saml");
    }
    String descriptor =
        given()
            .get(corpIssuer + "/protocol/saml/descriptor")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Map<String, Object> body = new HashMap<>();
    body.put("alias", "corp-saml");
    body.put("kind", "saml");
    body.put("displayName", "Corp SAML");
    body.put("metadataXml", descriptor);
    body.put("groupMapping", Map.of("Engineering", "ward-approvers"));
    new Api(t.token()).post("/api/v1/identity-providers", body).then().statusCode(201);
    try (Keycloak kc = RealmTokensTest.admin()) {
      importNameAttributes(kc, tenantRealm, "corp-saml");
    }

    String token = signInThroughBroker(t.issuer(), "corp-saml");
    JsonPath claims = RealmLogin.claims(token);
    assertThat(claims.getString("email")).isEqualTo(PERSON_EMAIL);
    assertThat(claims.getList("groups", String.class)).containsExactly("ward-approvers");
    new Api(token)
        .get("/api/v1/auth/me")
        .then()
        .statusCode(200)
        .body("email", equalTo(PERSON_EMAIL))
        .body("roles", equalTo(List.of("ward-approvers")));
  }
}
