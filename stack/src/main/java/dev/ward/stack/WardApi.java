package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client of the control plane's REST API, for setting up stacks and for tests. */
public final class WardApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;
  private final String token;

  public WardApi(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** The same API as another caller. */
  public WardApi as(String otherToken) {
    return new WardApi(baseUrl, otherToken);
  }

  /** An API answer: status and JSON body (null when empty). */
  public record Answer(int status, JsonNode body) {
    /** The body, after checking the status is the expected one. */
    public JsonNode expect(int expected) {
      if (status != expected) {
        throw new IllegalStateException(
            "expected HTTP " + expected + " but got " + status + ": " + body);
      }
      return body;
    }
  }

  /** Creates a connection (POST /api/v1/connections) and returns its id. */
  public String createConnection(Map<String, ?> body) throws IOException {
    return post("/api/v1/connections", body).expect(201).get("id").asText();
  }

  /** Mints a grant to the connection for the actor and returns the token. */
  public String grant(String connectionId, String actor) throws IOException {
    return post("/api/v1/connections/" + connectionId + "/grants", Map.of("actor", actor))
        .expect(201)
        .get("token")
        .asText();
  }

  /** Registers an agent and returns its one-time token. */
  public String registerAgent(String name) throws IOException {
    return post("/api/v1/agents", Map.of("name", name)).expect(201).get("token").asText();
  }

  public Answer get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Answer post(String path, Object body) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  public Answer put(String path, Object body) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  public Answer delete(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private Answer send(HttpRequest.Builder request) throws IOException {
    request.timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
      return new Answer(r.statusCode(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }
}
