package dev.ward.agent.protocol.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * The model APIs the agent understands: the OpenAI-compatible Chat Completions and Responses APIs
 * and the Anthropic-compatible Messages API. Each is known by its path, whatever base path the
 * upstream puts before it ({@code /v1/chat/completions}, {@code /openai/v1/responses}).
 */
enum LlmApi {
  OPENAI_CHAT("openai-chat", "openai", "/chat/completions"),
  OPENAI_RESPONSES("openai-responses", "openai", "/responses"),
  ANTHROPIC_MESSAGES("anthropic-messages", "anthropic", "/messages");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final String provider;
  private final String suffix;

  LlmApi(String id, String provider, String suffix) {
    this.id = id;
    this.provider = provider;
    this.suffix = suffix;
  }

  /** The API a request is for, when it creates a model response. */
  static Optional<LlmApi> of(String method, String uri) {
    if (!method.equals("POST")) {
      return Optional.empty();
    }
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    while (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    for (LlmApi api : values()) {
      if (path.endsWith(api.suffix)) {
        return Optional.of(api);
      }
    }
    return Optional.empty();
  }

  String id() {
    return id;
  }

  String provider() {
    return provider;
  }

  /**
   * An error body in this API's own format, so the client's SDK shows {@code message} as it shows
   * the provider's own errors.
   */
  Buffer error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    String type = status == 413 ? "request_too_large" : "invalid_request_error";
    if (provider.equals("anthropic")) {
      body.put("type", "error");
      ObjectNode error = body.putObject("error");
      error.put("type", type);
      error.put("message", message);
    } else {
      ObjectNode error = body.putObject("error");
      error.put("message", message);
      error.put("type", type);
      error.putNull("param");
      error.put("code", code);
    }
    return Buffer.buffer(body.toString());
  }
}
