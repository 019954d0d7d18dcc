package dev.ward.controlplane.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Short REST calls for control-plane tests, as one caller (a bearer token). */
public final class Api {

  private final String token;

  public Api(String token) {
    this.token = token;
  }

  public RequestSpecification request() {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  public Response get(String path) {
    return request().get(path);
  }

  public Response post(String path, Object body) {
    return request().body(body).post(path);
  }

  public Response put(String path, String etag, Object body) {
    RequestSpecification r = request().body(body);
    return (etag == null ? r : r.header("If-Match", etag)).put(path);
  }

  public Response delete(String path, String etag) {
    RequestSpecification r = request();
    return (etag == null ? r : r.header("If-Match", etag)).delete(path);
  }

  /** Creates an object and returns its id. */
  public String create(String path, Object body) {
    return post(path, body).then().statusCode(201).extract().path("id");
  }

  /** A postgres connection body on the given port, with the given overrides. */
  public static Map<String, Object> connection(String name, int port, Object... overrides) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("kind", "postgres");
    body.put("listenPort", port);
    body.put("target", "db.internal:5432");
    body.put("username", "app");
    body.put("secretRef", "env:APP_DB_PASSWORD");
    for (int i = 0; i < overrides.length; i += 2) {
      body.put((String) overrides[i], overrides[i + 1]);
    }
    return body;
  }

  /** A policy body with a small document. */
  public static Map<String, Object> policy(String name) {
    return Map.of(
        "name",
        name,
        "description",
        "read-only for agents",
        "document",
        Map.of(
            "schemaVersion",
            1,
            "masking",
            Map.of("secrets", Map.of("enabled", true, "families", List.of("*"))),
            "recording",
            Map.of("mode", "strict")));
  }
}
