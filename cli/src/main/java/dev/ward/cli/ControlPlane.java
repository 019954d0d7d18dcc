package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane as the CLI talks to it: the API URL and a bearer token from the environment
 * ({@code WARD_API_URL}, {@code WARD_API_TOKEN}, as {@code make dev} writes them) or from the
 * sign-in {@code ward login} stored. Errors are turned into one sentence a person can act on.
 */
final class ControlPlane {

  /** A call that failed; the message is for the person at the terminal. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  /**
   * Why a request found nobody to answer, in a few words: the JDK's HTTP client often throws with
   * no message at all (a refused connection), and "null" helps no one.
   */
  static String unreachable(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.http.HttpConnectTimeoutException
          || t instanceof java.net.http.HttpTimeoutException) {
        return "no answer in time";
      }
      if (t instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String apiUrl;
  private final String token;

  ControlPlane(String apiUrl, String token) {
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.token = token;
  }

  /**
   * From WARD_API_URL and WARD_API_TOKEN when both are set; otherwise from the sign-in {@code ward
   * login} stored, refreshed first when its access token is about to expire.
   */
  static ControlPlane fromEnvironment(Map<String, String> env) throws Failure {
    String url = env.get("WARD_API_URL");
    String token = env.get("WARD_API_TOKEN");
    if (url != null && !url.isBlank() && token != null && !token.isBlank()) {
      return new ControlPlane(url.trim(), token.trim());
    }
    Optional<Credentials> stored = Credentials.load(env);
    if (stored.isPresent()) {
      return signedIn(stored.get(), env);
    }
    throw new Failure(
        "not signed in: run `ward login --control-plane URL --tenant NAME`, or set WARD_API_URL"
            + " and WARD_API_TOKEN (with make dev: . .ward/dev/env)");
  }

  /** The control plane of a stored sign-in, refreshing (and saving) its tokens when due. */
  static ControlPlane signedIn(Credentials c, Map<String, String> env) throws Failure {
    if (c.accessTokenExpires(30)) {
      if (c.refreshToken() == null) {
        throw new Failure("your sign-in has expired: run `ward login` again");
      }
      c = c.withTokens(new OidcClient(c.issuer(), c.clientId()).refresh(c.refreshToken()));
      c.save(env);
    }
    return new ControlPlane(c.controlPlane() + "/api/v1", c.accessToken());
  }

  /** Where people of {@code tenant} sign in (public: no token needed). */
  static JsonNode discover(String controlPlane, String tenant) throws Failure {
    return new ControlPlane(controlPlane + "/api/v1", null)
        .get("/auth/discovery?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
  }

  /** The caller as the control plane sees it: subject, email, tenant, roles. */
  JsonNode me() throws Failure {
    return get("/auth/me");
  }

  /** The connection with this name, if the caller may see it. */
  Optional<JsonNode> connection(String name) throws Failure {
    JsonNode page =
        get("/connections?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&size=100");
    for (JsonNode c : page.path("items")) {
      if (c.path("name").asText().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  JsonNode connections() throws Failure {
    return get("/connections?size=200&sort=name");
  }

  /** A grant for the connection, in the given work session, for the acting AI agent (or none). */
  JsonNode grant(String connectionId, String actor, String workSession, long ttlSeconds)
      throws Failure {
    ObjectMapper m = JSON;
    var body = m.createObjectNode().put("ttlSeconds", ttlSeconds);
    if (actor != null) {
      body.put("actor", actor);
    }
    if (workSession != null) {
      body.put("workSessionId", workSession);
    }
    return send(
        HttpRequest.newBuilder(uri("/connections/" + connectionId + "/grants"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /**
   * Downloads a session's recording bundle (zip of segments, manifest and agent keys) into {@code
   * file}, refusing one larger than {@code maxBytes}.
   */
  void downloadSession(String sessionId, Path file, long maxBytes) throws Failure {
    HttpRequest request =
        HttpRequest.newBuilder(
                uri(
                    "/sessions/"
                        + URLEncoder.encode(sessionId, StandardCharsets.UTF_8)
                        + "/download"))
            .header("authorization", "Bearer " + token)
            .timeout(Duration.ofMinutes(10))
            .GET()
            .build();
    HttpResponse<InputStream> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Failure(
          "cannot reach the Ward control plane at " + apiUrl + " (" + unreachable(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    try (InputStream in = r.body()) {
      if (r.statusCode() == 401) {
        throw new Failure(
            "the control plane refused your token (expired or revoked): sign in again");
      }
      if (r.statusCode() >= 400) {
        byte[] problem = in.readNBytes(64 << 10);
        String detail;
        try {
          detail = JSON.readTree(problem).path("detail").asText("");
        } catch (IOException e) {
          detail = "";
        }
        throw new Failure(
            detail.isEmpty() ? "the control plane answered HTTP " + r.statusCode() : detail);
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] buffer = new byte[64 << 10];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > maxBytes) {
            throw new Failure(
                "the recording is larger than " + maxBytes + " bytes; not downloaded");
          }
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new Failure("downloading the recording failed: " + e.getMessage());
    }
  }

  private JsonNode get(String path) throws Failure {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private URI uri(String path) {
    return URI.create(apiUrl + path);
  }

  private JsonNode send(HttpRequest.Builder request) throws Failure {
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    request.timeout(Duration.ofSeconds(30));
    HttpResponse<String> r;
    try {
      r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure(
          "cannot reach the Ward control plane at " + apiUrl + " (" + unreachable(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    JsonNode body;
    try {
      body = r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new Failure(
          "the control plane answered HTTP " + r.statusCode() + " with a body that is not JSON");
    }
    if (r.statusCode() == 401) {
      throw new Failure("the control plane refused your token (expired or revoked): sign in again");
    }
    if (r.statusCode() >= 400) {
      throw new Failure(
          body.path("detail").asText("the control plane answered HTTP " + r.statusCode()));
    }
    return body;
  }
}
