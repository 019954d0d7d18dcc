package dev.ward.controlplane.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tokens and tenants for control-plane tests. */
public final class TestTokens {

  public static final String BOOTSTRAP = "wboot_test-bootstrap-token-0123456789";

  private TestTokens() {}

  /** Issues another API token of the admin's tenant, holding only the given roles. */
  public static String withRoles(String admin, String... roles) {
    return given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                "t" + UUID.randomUUID().toString().substring(0, 8),
                "roles",
                List.of(roles)))
        .post("/api/v1/api-tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  /** Creates a tenant with a unique slug and returns its admin API token. */
  public static String newTenantAdmin() {
    String slug = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return given()
        .auth()
        .oauth2(BOOTSTRAP)
        .contentType(ContentType.JSON)
        .body(Map.of("slug", slug, "name", "Tenant " + slug))
        .post("/api/v1/admin/tenants")
        .then()
        .statusCode(201)
        .extract()
        .path("adminToken");
  }
}
