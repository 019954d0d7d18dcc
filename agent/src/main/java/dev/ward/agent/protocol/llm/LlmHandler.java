package dev.ward.agent.protocol.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.Verdict;
import dev.ward.agent.protocol.http.ExchangeHandler;
import dev.ward.agent.protocol.http.HttpExchange;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.LlmExchange;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent does with each request to a model API: the prompt is masked (or refused, per
 * policy) before it leaves, the answer streams back event by event, and the exchange is recorded as
 * an LLM exchange — model, masked messages, tools offered, tool calls, completion, usage, timing —
 * in the session of the engineer's grant, beside the SQL, Git and MCP they lead to. Requests that
 * do not create a model response (listing models, say) are relayed like any HTTP API call.
 */
final class LlmHandler implements ExchangeHandler {

  static final String PROMPT_RULE = "llm-prompt-secret";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.request().method().name();
    String uri = exchange.request().uri();
    Verdict verdict = exchange.policy().inspectRequest(method, uri);
    if (!verdict.allowed()) {
      exchange.refuse(verdict);
      return;
    }
    Optional<LlmApi> api = LlmApi.of(method, uri);
    if (api.isEmpty()) {
      exchange.forward(Buffer.buffer());
      return;
    }
    // a body over the bound has been answered with 413 when this fails
    exchange.readBody().onSuccess(body -> onPrompt(exchange, api.get(), body));
  }

  private void onPrompt(HttpExchange exchange, LlmApi api, Buffer body) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      parsed = null;
    }
    if (parsed == null || !parsed.isObject()) {
      exchange.answer(
          400,
          "application/json",
          api.error(
              400,
              "invalid_json",
              "Ward could not read the request body as a JSON object; "
                  + api.id()
                  + " requests are JSON."),
          null);
      return;
    }
    LlmRequest request = LlmRequest.of(parsed);
    String text = body.toString(StandardCharsets.UTF_8);
    String masked = exchange.policy().maskBody(text, true, exchange.tally());
    boolean found = !exchange.tally().isEmpty();
    int keep = exchange.limits().recordedBody();
    exchange.record().setRequestBody(ByteString.copyFromUtf8(Completion.bounded(masked, keep)));
    exchange.beforeRecord(() -> recordLlm(exchange, api, request, masked, keep));
    if (found && exchange.policy().blocksSecretPrompts()) {
      String rules = String.join(", ", rules(exchange));
      String reason = "the prompt carries secrets (" + rules + "); it was not sent to the model";
      exchange.answer(
          400,
          "application/json",
          api.error(
              400,
              "ward_prompt_secret",
              "Ward refused this request: "
                  + reason
                  + ". Remove the secrets from the conversation and try again."),
          Verdict.deny(PROMPT_RULE, reason));
      return;
    }
    exchange.forwardReplacing(
        found ? Buffer.buffer(masked.getBytes(StandardCharsets.UTF_8)) : body);
  }

  private static Set<String> rules(HttpExchange exchange) {
    Set<String> rules = new LinkedHashSet<>();
    for (MaskedCells cells : exchange.tally().entries()) {
      rules.add(cells.rule());
    }
    return rules;
  }

  /**
   * Adds the LLM exchange event, read from the finished record; the HTTP exchange keeps its method,
   * path, status, headers and sizes, and leaves the bodies to this event.
   */
  private static void recordLlm(
      HttpExchange exchange, LlmApi api, LlmRequest request, String maskedPrompt, int keep) {
    Exchange.Builder record = exchange.record();
    String contentType = exchange.request().response().headers().get("Content-Type");
    boolean eventStream =
        contentType != null && contentType.toLowerCase().startsWith("text/event-stream");
    Completion completion =
        Completion.read(api, Buffer.buffer(record.getResponseBody().toByteArray()), eventStream);
    LlmExchange.Builder llm =
        LlmExchange.newBuilder()
            .setProvider(api.provider())
            .setApi(api.id())
            .setModel(completion.model().isEmpty() ? request.model() : completion.model())
            .setRequestJson(Completion.bounded(maskedPrompt, keep))
            .addAllToolsOffered(request.toolsOffered())
            .setCompletionText(completion.text())
            .addAllToolCalls(completion.toolCalls())
            .setPromptTokens(completion.promptTokens())
            .setCompletionTokens(completion.completionTokens())
            .setDurationNanos(record.getDurationNanos())
            .setStreamed(eventStream)
            .setStatus(record.getStatus())
            .setFirstTokenNanos(exchange.firstEventNanos())
            .setTruncated(
                maskedPrompt.length() > keep
                    || record.getResponseBodyTruncated()
                    || completion.truncated());
    if (!completion.text().isEmpty() || !completion.toolCalls().isEmpty()) {
      // the completion holds what the body said; keep error bodies in the exchange as they came
      record.clearResponseBody();
    }
    record.clearRequestBody();
    exchange.addEvent(Event.newBuilder().setLlm(llm));
  }
}
