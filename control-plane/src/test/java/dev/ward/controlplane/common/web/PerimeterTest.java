package dev.ward.controlplane.common.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every caller meets before any endpoint: security headers on every response, and rate limits
 * on sign-up, sign-in and grant minting answered with 429 problem+json and Retry-After.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(120)
class PerimeterTest {

  private static int port() {
    return io.restassured.RestAssured.port;
  }

  private static void assertStrictHeaders(Map<String, String> headers, String what) {
    String csp = headers.get("content-security-policy");
    assertThat(csp).as(what).isNotNull();
    assertThat(csp)
        .as(what)
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'")
        .contains("object-src 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(headers.get("x-content-type-options")).as(what).isEqualTo("nosniff");
    assertThat(headers.get("referrer-policy")).as(what).isEqualTo("no-referrer");
    assertThat(headers.get("x-frame-options")).as(what).isEqualTo("DENY");
    // plain HTTP: HSTS would be ignored by browsers and must not be sent
    assertThat(headers).as(what).doesNotContainKey("strict-transport-security");
  }

  private static Map<String, String> headersOf(Response r) {
    Map<String, String> h = new java.util.HashMap<>();
    r.headers().forEach(x -> h.put(x.getName().toLowerCase(java.util.Locale.ROOT), x.getValue()));
    return h;
  }

  @Test
  void everyKindOfResponseCarriesTheStrictSecurityHeaders() {
    String admin = TestTokens.newTenantAdmin();
    assertStrictHeaders(headersOf(new Api(admin).get("/api/v1/agents")), "a 200 of the API");
    assertStrictHeaders(headersOf(given().get("/api/v1/agents")), "a 401 problem");
    assertStrictHeaders(headersOf(given().get("/api/v1/no-such-thing")), "a 404");
    assertStrictHeaders(headersOf(given().get("/q/health/ready")), "the health check");
    assertStrictHeaders(headersOf(given().get("/api/v1/openapi")), "the OpenAPI document");
    assertStrictHeaders(headersOf(given().get("/")), "the console root");
  }

  @Test
  void theApiDocsAloneMayRunTheirInlineScriptButCannotBeFramed() {
    Map<String, String> h = headersOf(given().redirects().follow(true).get("/api/v1/docs/"));
    assertThat(h.get("content-security-policy"))
        .contains("script-src 'self' 'unsafe-inline'")
        .contains("frame-ancestors 'none'");
    assertThat(h.get("x-content-type-options")).isEqualTo("nosniff");
  }

  @Test
  void hstsIsSentOnlyOverTls() {
    SecurityHeaders headers = new SecurityHeaders(java.util.Optional.of("https://id.example"));
    io.vertx.core.MultiMap tls = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    headers.apply(tls, false, true);
    assertThat(tls.get("Strict-Transport-Security")).isEqualTo(SecurityHeaders.HSTS);
    assertThat(tls.get("Content-Security-Policy"))
        .contains("connect-src 'self' https://id.example");
    io.vertx.core.MultiMap plain = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    headers.apply(plain, false, false);
    assertThat(plain.contains("Strict-Transport-Security")).isFalse();
  }

  @Test
  void signUpIsLimitedPerAddressWith429ProblemAndRetryAfter() throws Exception {
    InetAddress client = RawHttp.randomLoopback();
    for (int i = 0; i < 10; i++) {
      RawHttp.Answer a = RawHttp.send(client, port(), "POST", "/api/v1/signup", null, "{}");
      assertThat(a.status()).as("sign-up attempt %d", i + 1).isNotEqualTo(429);
    }
    RawHttp.Answer limited = RawHttp.send(client, port(), "POST", "/api/v1/signup", null, "{}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().get("content-type")).startsWith("application/problem+json");
    assertThat(Integer.parseInt(limited.headers().get("retry-after"))).isBetween(1, 60);
    assertThat(limited.body()).contains("\"status\":429").contains("retry in");
    assertStrictHeaders(limited.headers(), "a 429");
    // another address is a different client
    RawHttp.Answer other =
        RawHttp.send(RawHttp.randomLoopback(), port(), "POST", "/api/v1/signup", null, "{}");
    assertThat(other.status()).isNotEqualTo(429);
  }

  @Test
  void signInPathsAreLimitedPerAddress() throws Exception {
    InetAddress client = RawHttp.randomLoopback();
    int limitedAt = -1;
    for (int i = 1; i <= 120 && limitedAt < 0; i++) {
      if (RawHttp.send(client, port(), "GET", "/api/v1/auth/discovery?tenant=x", null, null)
              .status()
          == 429) {
        limitedAt = i;
      }
    }
    // a burst of 60, refilled at one a second while the loop runs
    assertThat(limitedAt).isBetween(61, 90);
  }

  @Test
  void grantMintingIsLimitedPerCallerAndOtherCallersAreUnaffected() throws Exception {
    Api admin = new Api(TestTokens.newTenantAdmin());
    String connection = admin.create("/api/v1/connections", Api.connection("limited", 15999));
    String path = "/api/v1/connections/" + connection + "/grants";
    String body = "{\"actor\":\"script\"}";
    String token = TestTokens.newTenantAdmin();
    // a token of another tenant: 404 for the connection, but each call still counts
    InetAddress client = RawHttp.randomLoopback();
    int minted = 0;
    RawHttp.Answer last = null;
    for (int i = 0; i < 150; i++) {
      last = RawHttp.send(client, port(), "POST", path, token, body);
      if (last.status() == 429) {
        break;
      }
      minted++;
    }
    // a burst of 60, refilled at two a second while the loop runs
    assertThat(minted).isBetween(60, 120);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.headers()).containsKey("retry-after");
    // the tenant's own admin, from the same address, still mints
    admin.post(path, Map.of("actor", "script")).then().statusCode(201);
  }
}
