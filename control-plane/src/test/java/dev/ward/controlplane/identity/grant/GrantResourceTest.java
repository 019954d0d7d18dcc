package dev.ward.controlplane.identity.grant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
class GrantResourceTest {

  private Api admin;
  private String connection;

  @BeforeEach
  void setUp() {
    admin = new Api(TestTokens.newTenantAdmin());
    connection = admin.create("/api/v1/connections", Api.connection("orders-db", 15432));
  }

  private static JsonNode part(String token, int index) throws Exception {
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
  }

  private boolean signedByPublishedKey(String token) throws Exception {
    String kid = part(token, 0).get("kid").asText();
    List<Map<String, Object>> keys =
        admin.get("/api/v1/grant-keys").then().statusCode(200).extract().path("");
    for (Map<String, Object> k : keys) {
      if (k.get("keyId").equals(kid)) {
        PublicKey key =
            KeyFactory.getInstance("Ed25519")
                .generatePublic(
                    new X509EncodedKeySpec(
                        Base64.getDecoder().decode((String) k.get("publicKey"))));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
      }
    }
    return false;
  }

  @Test
  void aGrantNamesTheCallerTheConnectionTheActingAgentAndTheWorkSession() throws Exception {
    var response =
        admin.post(
            "/api/v1/connections/" + connection + "/grants",
            Map.of("actor", "claude-code", "workSessionId", "ws-run-42", "ttlSeconds", 600));
    response.then().statusCode(201).header("Cache-Control", equalTo("no-store"));
    String token = response.path("token");
    JsonNode header = part(token, 0);
    JsonNode claims = part(token, 1);
    assertThat(header.get("alg").asText()).isEqualTo("EdDSA");
    assertThat(claims.get("aud").asText()).isEqualTo(connection);
    assertThat(claims.get("act").get("sub").asText()).isEqualTo("claude-code");
    assertThat(claims.get("sid").asText()).isEqualTo("ws-run-42");
    assertThat(claims.get("sub").asText()).isEqualTo("api-token:initial-admin");
    assertThat(claims.get("jti").asText()).isEqualTo(response.path("grantId"));
    long lifetime = claims.get("exp").asLong() - claims.get("iat").asLong();
    assertThat(lifetime).isEqualTo(600);
    assertThat(signedByPublishedKey(token)).isTrue();
  }

  @Test
  void withoutAWorkSessionEachGrantStartsANewOneAndLastsAnHour() throws Exception {
    String t1 = admin.post("/api/v1/connections/" + connection + "/grants", Map.of()).path("token");
    String t2 = admin.post("/api/v1/connections/" + connection + "/grants", Map.of()).path("token");
    assertThat(part(t1, 1).get("sid").asText()).isNotEqualTo(part(t2, 1).get("sid").asText());
    JsonNode claims = part(t1, 1);
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
    assertThat(claims.has("act")).isFalse();
  }

  @Test
  void aLifetimeBeyondTwelveHoursIsRefused() {
    admin
        .post("/api/v1/connections/" + connection + "/grants", Map.of("ttlSeconds", 12 * 3600 + 1))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void anotherTenantCannotGetAGrantForTheConnection() {
    new Api(TestTokens.newTenantAdmin())
        .post("/api/v1/connections/" + connection + "/grants", Map.of())
        .then()
        .statusCode(404);
  }

  @Test
  void rotationKeepsTheOldKeyPublishedSoGrantsInFlightStayValid() throws Exception {
    String before =
        admin.post("/api/v1/connections/" + connection + "/grants", Map.of()).path("token");
    String newKey =
        admin
            .post("/api/v1/grant-keys/rotate", Map.of())
            .then()
            .statusCode(200)
            .extract()
            .path("keyId");
    String after =
        admin.post("/api/v1/connections/" + connection + "/grants", Map.of()).path("token");
    assertThat(part(after, 0).get("kid").asText()).isEqualTo(newKey);
    assertThat(part(before, 0).get("kid").asText()).isNotEqualTo(newKey);
    assertThat(signedByPublishedKey(before)).isTrue();
    assertThat(signedByPublishedKey(after)).isTrue();
  }

  @Test
  void revokingAGrantIsAuditedAndNeverRecordsTheToken() {
    var issued = admin.post("/api/v1/connections/" + connection + "/grants", Map.of());
    String token = issued.path("token");
    String grantId = issued.path("grantId");
    admin.post("/api/v1/grants/revoke", Map.of("id", grantId)).then().statusCode(204);
    String audit = admin.get("/api/v1/audit").then().statusCode(200).extract().asString();
    assertThat(audit)
        .contains("grant.revoke")
        .contains("grant.issue")
        .contains(grantId)
        .doesNotContain(token);
  }

  @Test
  void grantsNeedAToken() {
    given().post("/api/v1/connections/" + connection + "/grants").then().statusCode(401);
  }
}
