package dev.ward.agent.protocol.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent reads of a model request: the model, whether the response streams, and the names
 * of the tools offered to the model.
 *
 * @param model the requested model, empty when absent
 * @param streamed whether the client asked for server-sent events
 * @param toolsOffered the offered tools' names, at most 64
 */
record LlmRequest(String model, boolean streamed, List<String> toolsOffered) {

  static final int MAX_TOOLS = 64;

  /** Reads a request body already parsed as a JSON object. */
  static LlmRequest of(JsonNode body) {
    List<String> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      if (tools.size() == MAX_TOOLS) {
        break;
      }
      // Chat Completions: {type:function, function:{name}}; Responses and Messages: {name}
      String name = tool.path("function").path("name").asText(tool.path("name").asText(""));
      if (name.isEmpty()) {
        name = tool.path("type").asText("");
      }
      if (!name.isEmpty()) {
        tools.add(Completion.bounded(name, 128));
      }
    }
    return new LlmRequest(
        Completion.bounded(body.path("model").asText(""), 256),
        body.path("stream").asBoolean(false),
        List.copyOf(tools));
  }
}
