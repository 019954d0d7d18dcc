package dev.ward.controlplane.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The few Slack calls Ward makes, blocking (callers run on worker threads): Web API methods with a
 * bot token ({@code Authorization: Bearer}, JSON bodies), incoming webhooks and interaction
 * response URLs. The Web API base is {@code ward.slack.api-url} (WARD_SLACK_API_URL). Tokens never
 * appear in exceptions or logs.
 */
@ApplicationScoped
public class SlackApi {

  /** A Slack call that failed, with Slack's error code (never a token). */
  public static final class SlackException extends IOException {
    public SlackException(String message) {
      super(message);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final ObjectMapper json;
  private final String base;

  public SlackApi(ObjectMapper json, @ConfigProperty(name = "ward.slack.api-url") String base) {
    this.json = json;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The Web API base URL, e.g. {@code https://slack.com/api}. */
  public String base() {
    return base;
  }

  /** Calls a Web API method with a JSON body; returns Slack's answer when it says ok. */
  public JsonNode call(String method, String botToken, ObjectNode body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/" + method))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + botToken)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    return answer(method, http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /** The email of a workspace member (users.info, needs the users:read.email scope). */
  public String email(String botToken, String userId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    base + "/users.info?user=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + botToken)
            .GET()
            .build();
    JsonNode user = answer("users.info", http.send(request, HttpResponse.BodyHandlers.ofString()));
    String email = user.path("user").path("profile").path("email").asText("");
    if (email.isBlank()) {
      throw new SlackException("users.info returned no email; grant the users:read.email scope");
    }
    return email;
  }

  /** Posts a JSON message to an incoming webhook or an interaction's response_url. */
  public void post(String url, ObjectNode body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new SlackException("Slack answered " + r.statusCode() + ": " + bounded(r.body()));
    }
  }

  private JsonNode answer(String method, HttpResponse<String> r) throws IOException {
    if (r.statusCode() / 100 != 2) {
      throw new SlackException(method + " answered HTTP " + r.statusCode());
    }
    JsonNode body = json.readTree(r.body());
    if (!body.path("ok").asBoolean(false)) {
      throw new SlackException(method + " failed: " + bounded(body.path("error").asText("?")));
    }
    return body;
  }

  private static String bounded(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) : s;
  }
}
