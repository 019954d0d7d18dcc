package dev.ward.agent.protocol.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/** JSON-RPC 2.0 error responses, the way the agent refuses MCP messages. */
final class JsonRpcErrors {

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int INVALID_PARAMS = -32602;

  /** A tool call refused by a guardrail (implementation-defined server error range). */
  static final int REFUSED_BY_POLICY = -32001;

  /** A tool call held for an approval that cannot be asked for here. */
  static final int APPROVAL_REQUIRED = -32002;

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRpcErrors() {}

  /**
   * One error response.
   *
   * @param id the request's id, or null when it is not known
   * @param rule the policy rule, or null
   */
  static ObjectNode error(JsonNode id, int code, String message, String rule) {
    ObjectNode response = JSON.createObjectNode();
    response.put("jsonrpc", "2.0");
    if (id == null || id.isMissingNode()) {
      response.putNull("id");
    } else {
      response.set("id", id);
    }
    ObjectNode error = response.putObject("error");
    error.put("code", code);
    error.put("message", message);
    if (rule != null) {
      error.putObject("data").put("rule", rule).put("source", "ward");
    }
    return response;
  }

  static Buffer encode(JsonNode node) {
    return Buffer.buffer(node.toString());
  }
}
