package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for the parts of Slack that Ward calls, on 127.0.0.1, checking the shapes the
 * real API requires and recording every call: the Web API methods {@code chat.postMessage}, {@code
 * chat.update}, {@code views.open} (JSON bodies, {@code Authorization: Bearer} with a bot token)
 * and {@code users.info} under {@code /api/}, incoming webhooks under {@code /webhook/} and
 * interaction response URLs under {@code /response/}. A request of the wrong shape gets Slack's own
 * kind of error ({@code ok: false}) and is recorded with it, so a test sees what went wrong. It
 * also builds and signs interaction payloads as Slack does (button presses, modal submissions; v0,
 * HMAC-SHA256 with the app's signing secret).
 */
public final class SlackStub implements AutoCloseable {

  /** One call Ward made. {@code error} is empty when the call had the right shape. */
  public record Call(
      String path, String authorization, String contentType, JsonNode body, String error) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final String botToken;
  private final Map<String, String> emails = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  /**
   * @param botToken the only bot token the stub's workspace accepts
   */
  public SlackStub(String botToken) throws IOException {
    this.botToken = botToken;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A member of the workspace, as users.info shows them. */
  public SlackStub user(String userId, String email) {
    emails.put(userId, email);
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The Web API base URL Ward is configured with (WARD_SLACK_API_URL). */
  public String apiUrl() {
    return url() + "/api";
  }

  /** An incoming webhook URL of the workspace. */
  public String webhookUrl() {
    return url() + "/webhook/T000/B000/stub";
  }

  /** A response_url Slack would put in an interaction payload. */
  public String responseUrl(String name) {
    return url() + "/response/" + name;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls to one path (e.g. {@code /api/chat.postMessage}). */
  public List<Call> calls(String path) {
    return calls.stream().filter(c -> c.path().equals(path)).toList();
  }

  /** The {@code X-Slack-Signature} header Slack sends with this body at this timestamp. */
  public static String signature(String signingSecret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The form body Slack posts to an interactivity URL: {@code payload=<url-encoded JSON>}. */
  public static String interactionBody(JsonNode payload) {
    return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
  }

  /**
   * A block_actions payload: the Slack user pressed the button with this action id and value on the
   * message at channel/ts.
   */
  public ObjectNode blockAction(
      String userId, String actionId, String value, String channel, String ts, String response) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "block_actions");
    p.putObject("user").put("id", userId).put("username", userId.toLowerCase());
    p.putObject("team").put("id", "T000");
    p.putObject("container")
        .put("type", "message")
        .put("channel_id", channel)
        .put("message_ts", ts);
    p.putObject("channel").put("id", channel);
    p.putObject("message").put("ts", ts);
    p.put("response_url", responseUrl(response));
    p.put("trigger_id", "1.2.3");
    p.putArray("actions")
        .addObject()
        .put("type", "button")
        .put("action_id", actionId)
        .put("block_id", "decision")
        .put("value", value)
        .put("action_ts", "1700000000.000100");
    return p;
  }

  /**
   * The view_submission payload Slack sends when the user submits a modal Ward opened: {@code
   * opened} is the {@code view} of the views.open call, {@code values} the text typed into its
   * inputs, by the input's action id.
   */
  public ObjectNode viewSubmission(String userId, JsonNode opened, Map<String, String> values) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "view_submission");
    p.putObject("user").put("id", userId).put("username", userId.toLowerCase());
    p.putObject("team").put("id", "T000");
    p.put("trigger_id", "4.5.6");
    ObjectNode view = p.putObject("view");
    view.put("id", "V0STUB").put("type", "modal");
    view.put("callback_id", opened.path("callback_id").asText(""));
    view.put("private_metadata", opened.path("private_metadata").asText(""));
    ObjectNode state = view.putObject("state").putObject("values");
    for (JsonNode block : opened.path("blocks")) {
      if ("input".equals(block.path("type").asText())) {
        String actionId = block.path("element").path("action_id").asText();
        state
            .putObject(block.path("block_id").asText())
            .putObject(actionId)
            .put("type", block.path("element").path("type").asText())
            .put("value", values.get(actionId));
      }
    }
    return p;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      byte[] raw = ex.getRequestBody().readAllBytes();
      String text = new String(raw, StandardCharsets.UTF_8);
      JsonNode body = null;
      String error = "";
      if (path.equals("/api/users.info")) {
        body = JSON.createObjectNode().put("user", query(ex, text).getOrDefault("user", ""));
      } else if (raw.length > 0) {
        try {
          body = JSON.readTree(raw);
        } catch (IOException e) {
          error = "invalid_json";
        }
      }
      if (error.isEmpty()) {
        error = check(path, ex.getRequestMethod(), auth, type, body);
      }
      calls.add(new Call(path, auth, type, body, error));
      if (path.startsWith("/webhook/") || path.startsWith("/response/")) {
        reply(ex, error.isEmpty() ? 200 : 400, "text/plain", error.isEmpty() ? "ok" : error);
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("ok", error.isEmpty());
      if (!error.isEmpty()) {
        answer.put("error", error);
      } else if (path.equals("/api/chat.postMessage")) {
        long now = clock.incrementAndGet();
        answer.put(
            "channel",
            body.get("channel").asText().startsWith("#") ? "C0STUB" : body.get("channel").asText());
        answer.put("ts", now / 1000 + "." + String.format("%06d", now % 1000));
      } else if (path.equals("/api/chat.update")) {
        answer.put("channel", body.get("channel").asText()).put("ts", body.get("ts").asText());
      } else if (path.equals("/api/views.open")) {
        answer.set("view", body.get("view").deepCopy());
        ((ObjectNode) answer.get("view")).put("id", "V0STUB");
      } else if (path.equals("/api/users.info")) {
        String user = body.get("user").asText();
        ObjectNode u = answer.putObject("user").put("id", user);
        u.putObject("profile").put("email", emails.get(user));
      }
      reply(ex, 200, "application/json; charset=utf-8", answer.toString());
    } catch (RuntimeException e) {
      calls.add(new Call(ex.getRequestURI().getPath(), null, null, null, "stub_error: " + e));
      reply(ex, 500, "text/plain", "stub error");
    }
  }

  /** Empty when the request has the shape Slack requires, else Slack's error code for it. */
  private String check(String path, String method, String auth, String type, JsonNode body) {
    boolean json = type != null && type.toLowerCase().startsWith("application/json");
    switch (path) {
      case "/api/chat.postMessage", "/api/chat.update" -> {
        if (!"POST".equals(method)) {
          return "method_not_allowed";
        }
        if (auth == null || !auth.startsWith("Bearer ")) {
          return "not_authed";
        }
        if (!auth.equals("Bearer " + botToken)) {
          return "invalid_auth";
        }
        if (!json || !type.toLowerCase().contains("charset=utf-8")) {
          return "invalid_content_type: send application/json; charset=utf-8";
        }
        if (body == null || !body.hasNonNull("channel")) {
          return "channel_not_found";
        }
        if (!body.hasNonNull("text") && !body.has("blocks")) {
          return "no_text";
        }
        if (path.endsWith("update") && !body.hasNonNull("ts")) {
          return "message_not_found";
        }
        return "";
      }
      case "/api/views.open" -> {
        String common = bearerJson(method, auth, type);
        if (!common.isEmpty()) {
          return common;
        }
        if (body == null || body.path("trigger_id").asText("").isEmpty()) {
          return "invalid_trigger_id";
        }
        return modal(body.path("view"));
      }
      case "/api/users.info" -> {
        if (auth == null || !auth.equals("Bearer " + botToken)) {
          return auth == null ? "not_authed" : "invalid_auth";
        }
        String user = body.get("user").asText();
        return user.isEmpty() || !emails.containsKey(user) ? "user_not_found" : "";
      }
      default -> {
        if (path.startsWith("/webhook/") || path.startsWith("/response/")) {
          if (!"POST".equals(method) || !json) {
            return "invalid_payload";
          }
          return body != null && (body.hasNonNull("text") || body.has("blocks")) ? "" : "no_text";
        }
        return "unknown_method";
      }
    }
  }

  private String bearerJson(String method, String auth, String type) {
    if (!"POST".equals(method)) {
      return "method_not_allowed";
    }
    if (auth == null || !auth.startsWith("Bearer ")) {
      return "not_authed";
    }
    if (!auth.equals("Bearer " + botToken)) {
      return "invalid_auth";
    }
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      return "invalid_content_type: send application/json; charset=utf-8";
    }
    return "";
  }

  /** Slack's limits on a modal view, the ones a Ward form could break. */
  private static String modal(JsonNode view) {
    if (!"modal".equals(view.path("type").asText())) {
      return "invalid_arguments: view.type must be modal";
    }
    for (String text : List.of("title", "submit", "close")) {
      JsonNode t = view.path(text);
      if (!t.isMissingNode()
          && (!"plain_text".equals(t.path("type").asText())
              || t.path("text").asText().isEmpty()
              || t.path("text").asText().length() > 24)) {
        return "invalid_arguments: view." + text + " must be plain_text of 1 to 24 characters";
      }
    }
    if (view.path("title").isMissingNode() || !view.path("blocks").isArray()) {
      return "invalid_arguments: a modal needs a title and blocks";
    }
    if (view.path("private_metadata").asText("").length() > 3000
        || view.path("callback_id").asText("").length() > 255) {
      return "invalid_arguments: private_metadata or callback_id too long";
    }
    boolean inputs = false;
    for (JsonNode b : view.path("blocks")) {
      if ("input".equals(b.path("type").asText())) {
        inputs = true;
        if (b.path("label").path("text").asText("").isEmpty()
            || b.path("element").path("action_id").asText("").isEmpty()
            || b.path("block_id").asText("").isEmpty()) {
          return "invalid_arguments: an input block needs a label, block_id and action_id";
        }
      }
    }
    if (inputs && view.path("submit").isMissingNode()) {
      return "invalid_arguments: a modal with inputs needs a submit button";
    }
    return "";
  }

  private static Map<String, String> query(HttpExchange ex, String form) {
    String q = ex.getRequestURI().getRawQuery();
    String all = (q == null ? "" : q) + "&" + form;
    Map<String, String> values = new ConcurrentHashMap<>();
    for (String pair : all.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
