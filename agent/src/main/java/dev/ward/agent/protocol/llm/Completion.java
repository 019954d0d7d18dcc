package dev.ward.agent.protocol.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.protocol.http.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model answered, read from a (masked) response body as recorded: its text, the tool calls
 * it made and the token usage, from a whole JSON response or from the server-sent events of a
 * streamed one. Everything kept is bounded; a body that does not parse leaves what was read so far.
 */
final class Completion {

  static final int MAX_TEXT = 64 * 1024;
  static final int MAX_TOOL_CALLS = 64;
  static final int MAX_ARGUMENTS = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmApi api;
  private final StringBuilder text = new StringBuilder();
  // by index in the stream (or order in a whole response): name, then arguments as they arrive
  private final Map<Integer, String[]> toolCalls = new LinkedHashMap<>();
  private String model = "";
  private long promptTokens;
  private long completionTokens;
  private boolean truncated;

  private Completion(LlmApi api) {
    this.api = api;
  }

  /** Reads a recorded response body; {@code streamed} when it was a {@code text/event-stream}. */
  static Completion read(LlmApi api, Buffer body, boolean streamed) {
    Completion c = new Completion(api);
    if (body.length() == 0) {
      return c;
    }
    if (streamed) {
      SseEvents events = new SseEvents(body.length() + 1, event -> c.onEvent(event.data()));
      try {
        events.feed(body);
        events.end();
      } catch (RuntimeException e) {
        c.truncated = true;
      }
    } else {
      try {
        c.onWhole(JSON.readTree(body.getBytes()));
      } catch (java.io.IOException e) {
        c.truncated = true;
      }
    }
    return c;
  }

  String text() {
    return text.toString();
  }

  String model() {
    return model;
  }

  long promptTokens() {
    return promptTokens;
  }

  long completionTokens() {
    return completionTokens;
  }

  boolean truncated() {
    return truncated;
  }

  /** Each tool call as {@code name(arguments)}. */
  List<String> toolCalls() {
    List<String> out = new ArrayList<>();
    for (String[] call : toolCalls.values()) {
      out.add(call[0] + "(" + call[1] + ")");
    }
    return out;
  }

  // ---- whole responses ---------------------------------------------------------------------

  private void onWhole(JsonNode r) {
    model(r.path("model"));
    switch (api) {
      case OPENAI_CHAT -> {
        JsonNode message = r.path("choices").path(0).path("message");
        appendText(message.path("content").asText(""));
        int i = 0;
        for (JsonNode call : message.path("tool_calls")) {
          JsonNode f = call.path("function");
          toolCallDelta(i++, f.path("name").asText(""), f.path("arguments").asText(""));
        }
        usage(r.path("usage"), "prompt_tokens", "completion_tokens");
      }
      case OPENAI_RESPONSES -> readResponsesOutput(r);
      case ANTHROPIC_MESSAGES -> {
        int i = 0;
        for (JsonNode block : r.path("content")) {
          switch (block.path("type").asText("")) {
            case "text" -> appendText(block.path("text").asText(""));
            case "tool_use" -> toolCall(i++, block.path("name").asText(""), block.path("input"));
            default -> {}
          }
        }
        usage(r.path("usage"), "input_tokens", "output_tokens");
      }
    }
  }

  private void readResponsesOutput(JsonNode r) {
    int i = 0;
    for (JsonNode item : r.path("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            if (part.path("type").asText("").equals("output_text")) {
              appendText(part.path("text").asText(""));
            }
          }
        }
        case "function_call" ->
            toolCallDelta(i++, item.path("name").asText(""), item.path("arguments").asText(""));
        default -> {}
      }
    }
    usage(r.path("usage"), "input_tokens", "output_tokens");
  }

  // ---- streamed responses ------------------------------------------------------------------

  private void onEvent(String data) {
    if (data == null || data.isBlank() || data.strip().equals("[DONE]")) {
      return;
    }
    JsonNode e;
    try {
      e = JSON.readTree(data);
    } catch (java.io.IOException ex) {
      truncated = true;
      return;
    }
    switch (api) {
      case OPENAI_CHAT -> {
        model(e.path("model"));
        JsonNode delta = e.path("choices").path(0).path("delta");
        appendText(delta.path("content").asText(""));
        for (JsonNode call : delta.path("tool_calls")) {
          JsonNode f = call.path("function");
          toolCallDelta(
              call.path("index").asInt(0),
              f.path("name").asText(""),
              f.path("arguments").asText(""));
        }
        usage(e.path("usage"), "prompt_tokens", "completion_tokens");
      }
      case OPENAI_RESPONSES -> {
        switch (e.path("type").asText("")) {
          case "response.output_text.delta" -> appendText(e.path("delta").asText(""));
          case "response.completed" -> {
            JsonNode r = e.path("response");
            model(r.path("model"));
            // the completed response holds the whole output: read it instead of the deltas
            text.setLength(0);
            toolCalls.clear();
            readResponsesOutput(r);
          }
          case "response.created" -> model(e.path("response").path("model"));
          default -> {}
        }
      }
      case ANTHROPIC_MESSAGES -> {
        switch (e.path("type").asText("")) {
          case "message_start" -> {
            model(e.path("message").path("model"));
            usage(e.path("message").path("usage"), "input_tokens", "output_tokens");
          }
          case "content_block_start" -> {
            JsonNode block = e.path("content_block");
            if (block.path("type").asText("").equals("tool_use")) {
              toolCallDelta(e.path("index").asInt(0), block.path("name").asText(""), "");
            } else {
              appendText(block.path("text").asText(""));
            }
          }
          case "content_block_delta" -> {
            JsonNode delta = e.path("delta");
            switch (delta.path("type").asText("")) {
              case "text_delta" -> appendText(delta.path("text").asText(""));
              case "input_json_delta" ->
                  toolCallDelta(
                      e.path("index").asInt(0), "", delta.path("partial_json").asText(""));
              default -> {}
            }
          }
          case "message_delta" -> {
            JsonNode usage = e.path("usage");
            if (usage.has("output_tokens")) {
              completionTokens = usage.path("output_tokens").asLong();
            }
          }
          default -> {}
        }
      }
    }
  }

  // ---- accumulation ------------------------------------------------------------------------

  private void model(JsonNode node) {
    if (model.isEmpty() && node.isTextual()) {
      model = bounded(node.asText(), 256);
    }
  }

  private void usage(JsonNode usage, String prompt, String completion) {
    if (usage.has(prompt)) {
      promptTokens = usage.path(prompt).asLong();
    }
    if (usage.has(completion)) {
      completionTokens = usage.path(completion).asLong();
    }
  }

  private void appendText(String more) {
    int room = MAX_TEXT - text.length();
    if (more.length() > room) {
      truncated = true;
      text.append(more, 0, Math.max(0, room));
    } else {
      text.append(more);
    }
  }

  private void toolCall(int index, String name, JsonNode input) {
    toolCallDelta(index, name, input.isMissingNode() ? "" : input.toString());
  }

  private void toolCallDelta(int index, String name, String arguments) {
    String[] call = toolCalls.get(index);
    if (call == null) {
      if (toolCalls.size() == MAX_TOOL_CALLS) {
        truncated = true;
        return;
      }
      call = new String[] {"", ""};
      toolCalls.put(index, call);
    }
    if (!name.isEmpty()) {
      call[0] = bounded(name, 128);
    }
    String args = call[1] + arguments;
    if (args.length() > MAX_ARGUMENTS) {
      truncated = true;
      args = args.substring(0, MAX_ARGUMENTS);
    }
    call[1] = args;
  }

  static String bounded(String text, int max) {
    return text.length() > max ? text.substring(0, max) : text;
  }
}
