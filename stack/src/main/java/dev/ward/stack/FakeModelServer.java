package dev.ward.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local model server speaking the real wire formats of the OpenAI Chat Completions and Responses
 * APIs and the Anthropic Messages API, streamed (server-sent events, one small chunk at a time) and
 * not. It answers deterministically: it repeats what the last user message said — so a test or a
 * demo sees what reached the "provider" — and suggests a query; when tools are offered and the
 * message asks for one, it calls the first tool. It checks the API key as the providers do and
 * keeps every request it received, so a test can prove what never arrived.
 */
public final class FakeModelServer implements AutoCloseable {

  /** One request as the server received it. */
  public record Received(String path, Map<String, List<String>> headers, String body) {}

  public static final String SUGGESTION = "SELECT id, email FROM customers ORDER BY id LIMIT 10;";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String apiKey;
  private final Duration chunkDelay;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  private FakeModelServer(HttpServer server, String apiKey, Duration chunkDelay) {
    this.server = server;
    this.apiKey = apiKey;
    this.chunkDelay = chunkDelay;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port 0 for any free port
   * @param apiKey the key clients must send (Bearer for OpenAI paths, x-api-key for Anthropic)
   * @param chunkDelay the pause between streamed chunks
   */
  public static FakeModelServer start(int port, String apiKey, Duration chunkDelay)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    FakeModelServer fake = new FakeModelServer(server, apiKey, chunkDelay);
    server.createContext("/", fake::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return fake;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Every request received so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---- requests ----------------------------------------------------------------------------

  private void handle(HttpExchange http) throws IOException {
    try (http) {
      String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = http.getRequestURI().getPath();
      received.add(new Received(path, Map.copyOf(http.getRequestHeaders()), body));
      boolean anthropic = path.endsWith("/messages");
      if (http.getRequestMethod().equals("GET") && path.endsWith("/models")) {
        if (authorized(http, false)) {
          send(
              http,
              200,
              "{\"object\":\"list\",\"data\":[{\"id\":\"ward-fake-1\",\"object\":"
                  + "\"model\",\"created\":1700000000,\"owned_by\":\"ward\"}]}");
        } else {
          send(http, 401, error(false, "authentication_error", "invalid api key"));
        }
        return;
      }
      if (!http.getRequestMethod().equals("POST")
          || !(anthropic || path.endsWith("/chat/completions") || path.endsWith("/responses"))) {
        send(http, 404, error(anthropic, "not_found_error", "no such endpoint: " + path));
        return;
      }
      if (!authorized(http, anthropic)) {
        send(http, 401, error(anthropic, "authentication_error", "invalid x-api-key"));
        return;
      }
      if (anthropic && http.getRequestHeaders().getFirst("anthropic-version") == null) {
        send(http, 400, error(true, "invalid_request_error", "anthropic-version header required"));
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (IOException e) {
        send(http, 400, error(anthropic, "invalid_request_error", "body is not JSON"));
        return;
      }
      Reply reply = reply(request);
      boolean stream = request.path("stream").asBoolean(false);
      String model = request.path("model").asText("ward-fake-1");
      if (anthropic) {
        if (stream) {
          streamAnthropic(http, model, reply);
        } else {
          send(http, 200, anthropicMessage(model, reply).toString());
        }
      } else if (path.endsWith("/responses")) {
        if (stream) {
          streamResponses(http, model, reply);
        } else {
          send(http, 200, responsesObject(model, reply).toString());
        }
      } else if (stream) {
        streamChat(http, model, reply, request.path("stream_options").path("include_usage"));
      } else {
        send(http, 200, chatCompletion(model, reply).toString());
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private boolean authorized(HttpExchange http, boolean anthropic) {
    String presented =
        anthropic
            ? http.getRequestHeaders().getFirst("x-api-key")
            : stripBearer(http.getRequestHeaders().getFirst("Authorization"));
    return apiKey.equals(presented);
  }

  private static String stripBearer(String header) {
    return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
  }

  // ---- what the model says -----------------------------------------------------------------

  /** The answer: text, or one call of the first offered tool. */
  record Reply(String text, String toolName, String toolArguments, int promptTokens) {
    int completionTokens() {
      return Math.max(1, (text.length() + toolArguments.length()) / 4);
    }
  }

  private static Reply reply(JsonNode request) {
    String last = lastUserText(request);
    int promptTokens = Math.max(1, request.toString().length() / 4);
    String tool = firstToolName(request.path("tools"));
    if (!tool.isEmpty() && last.toLowerCase().contains("tool")) {
      return new Reply(
          "", tool, "{\"query\":\"" + SUGGESTION.replace("\"", "") + "\"}", promptTokens);
    }
    String heard = last.length() > 400 ? last.substring(0, 400) + "…" : last;
    return new Reply(
        "You said: " + heard + "\nSuggested query: " + SUGGESTION, "", "", promptTokens);
  }

  private static String lastUserText(JsonNode request) {
    JsonNode messages = request.has("messages") ? request.path("messages") : request.path("input");
    if (messages.isTextual()) {
      return messages.asText();
    }
    String last = "";
    for (JsonNode m : messages) {
      if (!m.path("role").asText("user").equals("user")) {
        continue;
      }
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        last = content.asText();
      } else {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
          text.append(part.path("text").asText(""));
        }
        last = text.toString();
      }
    }
    return last;
  }

  private static String firstToolName(JsonNode tools) {
    for (JsonNode t : tools) {
      String name = t.path("function").path("name").asText(t.path("name").asText(""));
      if (!name.isEmpty()) {
        return name;
      }
    }
    return "";
  }

  /** The text cut into the small pieces a model streams. */
  private static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 8) {
      out.add(text.substring(i, Math.min(text.length(), i + 8)));
    }
    return out;
  }

  // ---- OpenAI Chat Completions ---------------------------------------------------------------

  private ObjectNode chatCompletion(String model, Reply reply) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", "chatcmpl-" + ids.incrementAndGet());
    c.put("object", "chat.completion");
    c.put("created", System.currentTimeMillis() / 1000);
    c.put("model", model);
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (reply.toolName().isEmpty()) {
      message.put("content", reply.text());
      choice.put("finish_reason", "stop");
    } else {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_" + ids.get());
      call.put("type", "function");
      call.putObject("function")
          .put("name", reply.toolName())
          .put("arguments", reply.toolArguments());
      choice.put("finish_reason", "tool_calls");
    }
    choice.putNull("logprobs");
    c.set("usage", chatUsage(reply));
    return c;
  }

  private static ObjectNode chatUsage(Reply reply) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", reply.promptTokens());
    usage.put("completion_tokens", reply.completionTokens());
    usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
    return usage;
  }

  private void streamChat(HttpExchange http, String model, Reply reply, JsonNode includeUsage)
      throws IOException {
    String id = "chatcmpl-" + ids.incrementAndGet();
    try (OutputStream out = startStream(http)) {
      List<ObjectNode> chunks = new ArrayList<>();
      chunks.add(
          chatChunk(
              id,
              model,
              JSON.createObjectNode().put("role", "assistant").put("content", ""),
              null));
      if (reply.toolName().isEmpty()) {
        for (String piece : pieces(reply.text())) {
          chunks.add(chatChunk(id, model, JSON.createObjectNode().put("content", piece), null));
        }
        chunks.add(chatChunk(id, model, JSON.createObjectNode(), "stop"));
      } else {
        ObjectNode start = JSON.createObjectNode();
        ObjectNode call = start.putArray("tool_calls").addObject();
        call.put("index", 0).put("id", "call_" + ids.get()).put("type", "function");
        call.putObject("function").put("name", reply.toolName()).put("arguments", "");
        chunks.add(chatChunk(id, model, start, null));
        for (String piece : pieces(reply.toolArguments())) {
          ObjectNode delta = JSON.createObjectNode();
          delta
              .putArray("tool_calls")
              .addObject()
              .put("index", 0)
              .putObject("function")
              .put("arguments", piece);
          chunks.add(chatChunk(id, model, delta, null));
        }
        chunks.add(chatChunk(id, model, JSON.createObjectNode(), "tool_calls"));
      }
      if (includeUsage.asBoolean(false)) {
        ObjectNode usage = chatChunk(id, model, null, null);
        usage.putArray("choices");
        usage.set("usage", chatUsage(reply));
        chunks.add(usage);
      }
      for (ObjectNode chunk : chunks) {
        event(out, null, chunk.toString());
      }
      event(out, null, "[DONE]");
    }
  }

  private static ObjectNode chatChunk(String id, String model, ObjectNode delta, String finish) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id);
    c.put("object", "chat.completion.chunk");
    c.put("created", System.currentTimeMillis() / 1000);
    c.put("model", model);
    if (delta != null) {
      ObjectNode choice = c.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
    }
    return c;
  }

  // ---- OpenAI Responses ------------------------------------------------------------------------

  private ObjectNode responsesObject(String model, Reply reply) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "resp_" + ids.incrementAndGet());
    r.put("object", "response");
    r.put("created_at", System.currentTimeMillis() / 1000);
    r.put("status", "completed");
    r.put("model", model);
    ArrayNode output = r.putArray("output");
    if (reply.toolName().isEmpty()) {
      ObjectNode message = output.addObject();
      message
          .put("type", "message")
          .put("id", "msg_" + ids.get())
          .put("status", "completed")
          .put("role", "assistant");
      message
          .putArray("content")
          .addObject()
          .put("type", "output_text")
          .put("text", reply.text())
          .putArray("annotations");
    } else {
      output
          .addObject()
          .put("type", "function_call")
          .put("id", "fc_" + ids.get())
          .put("call_id", "call_" + ids.get())
          .put("name", reply.toolName())
          .put("arguments", reply.toolArguments())
          .put("status", "completed");
    }
    ObjectNode usage = r.putObject("usage");
    usage.put("input_tokens", reply.promptTokens());
    usage.put("output_tokens", reply.completionTokens());
    usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
    return r;
  }

  private void streamResponses(HttpExchange http, String model, Reply reply) throws IOException {
    ObjectNode done = responsesObject(model, reply);
    ObjectNode created = done.deepCopy();
    created.put("status", "in_progress");
    created.putArray("output");
    created.remove("usage");
    int seq = 0;
    try (OutputStream out = startStream(http)) {
      event(
          out,
          "response.created",
          typed("response.created", seq++).set("response", created).toString());
      if (reply.toolName().isEmpty()) {
        String itemId = done.path("output").path(0).path("id").asText();
        for (String piece : pieces(reply.text())) {
          ObjectNode delta = typed("response.output_text.delta", seq++);
          delta
              .put("item_id", itemId)
              .put("output_index", 0)
              .put("content_index", 0)
              .put("delta", piece);
          event(out, "response.output_text.delta", delta.toString());
        }
        ObjectNode textDone = typed("response.output_text.done", seq++);
        textDone
            .put("item_id", itemId)
            .put("output_index", 0)
            .put("content_index", 0)
            .put("text", reply.text());
        event(out, "response.output_text.done", textDone.toString());
      } else {
        ObjectNode itemDone = typed("response.output_item.done", seq++);
        itemDone.put("output_index", 0).set("item", done.path("output").path(0));
        event(out, "response.output_item.done", itemDone.toString());
      }
      event(
          out,
          "response.completed",
          typed("response.completed", seq).set("response", done).toString());
    }
  }

  private static ObjectNode typed(String type, int seq) {
    return JSON.createObjectNode().put("type", type).put("sequence_number", seq);
  }

  // ---- Anthropic Messages ----------------------------------------------------------------------

  private ObjectNode anthropicMessage(String model, Reply reply) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", "msg_" + ids.incrementAndGet());
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    ArrayNode content = m.putArray("content");
    if (reply.toolName().isEmpty()) {
      content.addObject().put("type", "text").put("text", reply.text());
      m.put("stop_reason", "end_turn");
    } else {
      ObjectNode use = content.addObject();
      use.put("type", "tool_use").put("id", "toolu_" + ids.get()).put("name", reply.toolName());
      try {
        use.set("input", JSON.readTree(reply.toolArguments()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      m.put("stop_reason", "tool_use");
    }
    m.putNull("stop_sequence");
    ObjectNode usage = m.putObject("usage");
    usage.put("input_tokens", reply.promptTokens());
    usage.put("output_tokens", reply.completionTokens());
    return m;
  }

  private void streamAnthropic(HttpExchange http, String model, Reply reply) throws IOException {
    ObjectNode message = anthropicMessage(model, reply);
    ObjectNode start = message.deepCopy();
    start.putArray("content");
    start.putNull("stop_reason");
    ((ObjectNode) start.path("usage")).put("output_tokens", 1);
    try (OutputStream out = startStream(http)) {
      event(
          out,
          "message_start",
          JSON.createObjectNode().put("type", "message_start").set("message", start).toString());
      ObjectNode blockStart =
          JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
      boolean text = reply.toolName().isEmpty();
      if (text) {
        blockStart.putObject("content_block").put("type", "text").put("text", "");
      } else {
        ObjectNode use = blockStart.putObject("content_block");
        use.put("type", "tool_use").put("id", "toolu_" + ids.get()).put("name", reply.toolName());
        use.putObject("input");
      }
      event(out, "content_block_start", blockStart.toString());
      event(out, "ping", "{\"type\": \"ping\"}");
      for (String piece : pieces(text ? reply.text() : reply.toolArguments())) {
        ObjectNode delta =
            JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        if (text) {
          delta.putObject("delta").put("type", "text_delta").put("text", piece);
        } else {
          delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
        }
        event(out, "content_block_delta", delta.toString());
      }
      event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
      end.putObject("delta")
          .put("stop_reason", message.path("stop_reason").asText())
          .putNull("stop_sequence");
      end.putObject("usage").put("output_tokens", reply.completionTokens());
      event(out, "message_delta", end.toString());
      event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
  }

  // ---- wire ------------------------------------------------------------------------------------

  private static String error(boolean anthropic, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    if (anthropic) {
      body.put("type", "error");
      body.putObject("error").put("type", type).put("message", message);
    } else {
      body.putObject("error")
          .put("message", message)
          .put("type", type)
          .putNull("param")
          .putNull("code");
    }
    return body.toString();
  }

  private static void send(HttpExchange http, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    http.getResponseHeaders().set("Content-Type", "application/json");
    http.sendResponseHeaders(status, bytes.length);
    http.getResponseBody().write(bytes);
  }

  private static OutputStream startStream(HttpExchange http) throws IOException {
    http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    http.getResponseHeaders().set("Cache-Control", "no-cache");
    http.sendResponseHeaders(200, 0);
    return http.getResponseBody();
  }

  private void event(OutputStream out, String name, String data) throws IOException {
    StringBuilder e = new StringBuilder();
    if (name != null) {
      e.append("event: ").append(name).append('\n');
    }
    e.append("data: ").append(data).append("\n\n");
    out.write(e.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    if (!chunkDelay.isZero()) {
      try {
        Thread.sleep(chunkDelay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", ie);
      }
    }
  }

  /** Runs a server until killed: {@code FakeModelServer PORT API_KEY}. */
  public static void main(String[] args) throws Exception {
    FakeModelServer server = start(Integer.parseInt(args[0]), args[1], Duration.ofMillis(20));
    System.out.println("fake model server on " + server.baseUrl());
    Thread.currentThread().join();
  }
}
