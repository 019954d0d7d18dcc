package dev.ward.agent.protocol.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.Verdict;
import dev.ward.agent.protocol.http.ExchangeHandler;
import dev.ward.agent.protocol.http.HttpExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * MCP over the Streamable HTTP transport through the agent. Every JSON-RPC message a client posts
 * is read whole (bounded) and checked: malformed JSON or JSON-RPC is answered with a JSON-RPC error
 * object, each {@code tools/call} is put to the MCP guardrails by tool name and arguments, and a
 * refused call is answered with a JSON-RPC error naming the rule without reaching the server.
 * Allowed messages pass unchanged; the server's answers, JSON or server-sent events, are masked by
 * the listener on their way back. Each exchange is recorded with its method and tool.
 */
final class McpExchanges implements ExchangeHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (exchange.request().method() != HttpMethod.POST) {
      // the server's event stream (GET) and session end (DELETE) carry no client message
      exchange.forward(Buffer.buffer());
      return;
    }
    exchange.readBody().onSuccess(body -> inspect(exchange, body));
  }

  private static void inspect(HttpExchange exchange, Buffer body) {
    JsonNode messages;
    try {
      messages = JSON.readTree(body.getBytes());
    } catch (JsonProcessingException | RuntimeException e) {
      reply(
          exchange,
          400,
          JsonRpcErrors.error(
              null, JsonRpcErrors.PARSE_ERROR, "Parse error: the body is not JSON", null),
          null);
      return;
    } catch (java.io.IOException e) {
      reply(
          exchange,
          400,
          JsonRpcErrors.error(null, JsonRpcErrors.PARSE_ERROR, "Parse error", null),
          null);
      return;
    }
    if (messages == null || messages.isMissingNode()) {
      reply(
          exchange,
          400,
          JsonRpcErrors.error(
              null, JsonRpcErrors.INVALID_REQUEST, "Invalid Request: empty body", null),
          null);
      return;
    }
    List<JsonNode> list = new ArrayList<>();
    if (messages.isArray()) {
      messages.forEach(list::add);
    } else {
      list.add(messages);
    }
    if (list.isEmpty()) {
      reply(
          exchange,
          400,
          JsonRpcErrors.error(
              null, JsonRpcErrors.INVALID_REQUEST, "Invalid Request: empty batch", null),
          null);
      return;
    }
    List<JsonNode> errors = new ArrayList<>();
    Verdict refusal = null;
    int status = 200;
    for (JsonNode message : list) {
      Check check = check(exchange, message);
      if (check.error != null) {
        errors.add(check.error);
        if (check.refusal != null && refusal == null) {
          refusal = check.refusal;
        } else if (check.refusal == null) {
          status = 400;
        }
      }
    }
    if (errors.isEmpty()) {
      exchange.forward(body);
      return;
    }
    if (!messages.isArray() && refusal != null && refusal.action() == Verdict.Action.HOLD) {
      // one held tool call: it goes upstream once approved
      Verdict held = refusal;
      JsonNode id = messages.get("id");
      exchange.awaitApproval(
          held,
          new Operation(
              "mcp",
              "tools/call " + exchange.record().getToolName(),
              List.of(messages.path("params").path("arguments").toString())),
          () -> exchange.forward(body),
          (hold, outcome) ->
              reply(
                  exchange,
                  200,
                  JsonRpcErrors.error(
                      id,
                      JsonRpcErrors.REFUSED_BY_POLICY,
                      HttpExchange.holdRefusal(held, hold, outcome),
                      held.rule()),
                  held),
          () -> reply(exchange, 200, errors.getFirst(), held));
      return;
    }
    // A batch goes through whole or not at all.
    if (!messages.isArray()) {
      reply(exchange, status, errors.getFirst(), refusal);
      return;
    }
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode message : list) {
      JsonNode error =
          errors.stream()
              .filter(e -> e.get("id").equals(message.path("id")))
              .findFirst()
              .orElse(null);
      if (error != null) {
        out.add(error);
      } else if (message.has("id") && message.has("method")) {
        out.add(
            JsonRpcErrors.error(
                message.get("id"),
                JsonRpcErrors.INVALID_REQUEST,
                "Not sent: another message of this batch was refused",
                null));
      }
    }
    reply(exchange, status, out, refusal);
  }

  /**
   * What checking one message found: an error to answer with, and the verdict if policy refused.
   */
  private record Check(JsonNode error, Verdict refusal) {}

  private static Check check(HttpExchange exchange, JsonNode message) {
    if (!message.isObject() || !"2.0".equals(message.path("jsonrpc").asText(null))) {
      return new Check(
          JsonRpcErrors.error(
              message.path("id"),
              JsonRpcErrors.INVALID_REQUEST,
              "Invalid Request: not a JSON-RPC 2.0 message",
              null),
          null);
    }
    JsonNode method = message.get("method");
    if (method == null) {
      // a response to a server request (sampling, elicitation)
      return new Check(null, null);
    }
    if (!method.isTextual()) {
      return new Check(
          JsonRpcErrors.error(
              message.path("id"),
              JsonRpcErrors.INVALID_REQUEST,
              "Invalid Request: method must be a string",
              null),
          null);
    }
    if (exchange.record().getRpcMethod().isEmpty()) {
      exchange.record().setRpcMethod(HttpExchange.bounded(method.asText(), 200));
    }
    if (!method.asText().equals("tools/call")) {
      return new Check(null, null);
    }
    JsonNode name = message.path("params").path("name");
    if (!message.has("id") || !name.isTextual()) {
      return new Check(
          JsonRpcErrors.error(
              message.path("id"),
              JsonRpcErrors.INVALID_PARAMS,
              "Invalid params: tools/call needs an id and params.name",
              null),
          null);
    }
    exchange.record().setToolName(HttpExchange.bounded(name.asText(), 200));
    JsonNode arguments = message.path("params").path("arguments");
    Verdict verdict =
        exchange
            .policy()
            .inspectToolCall(
                name.asText(), arguments.isMissingNode() ? null : arguments.toString());
    if (verdict.allowed()) {
      return new Check(null, null);
    }
    boolean hold = verdict.action() == Verdict.Action.HOLD;
    String text =
        hold
            ? "Ward rule "
                + verdict.rule()
                + " requires an approval for tool "
                + name.asText()
                + ": "
                + verdict.reason()
                + " Ward could not hold it for approval here; ask an approver to run it."
            : "Ward rule "
                + verdict.rule()
                + " refused tool "
                + name.asText()
                + ": "
                + verdict.reason();
    return new Check(
        JsonRpcErrors.error(
            message.get("id"),
            hold ? JsonRpcErrors.APPROVAL_REQUIRED : JsonRpcErrors.REFUSED_BY_POLICY,
            text,
            verdict.rule()),
        verdict);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body, Verdict refusal) {
    exchange.answer(status, "application/json", JsonRpcErrors.encode(body), refusal);
  }
}
