package dev.ward.agent.protocol.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.protocol.http.HttpHarness;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.LlmExchange;
import dev.ward.stack.FakeModelServer;
import io.vertx.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LLM gateway between real clients (the JDK HTTP client for the OpenAI wire formats,
 * Anthropic's own Java SDK) and a local model server speaking the providers' formats, streamed and
 * not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LlmThroughWardTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  // a fake AWS key pair an engineer pastes into a chat
  private static final String AWS_KEY_ID = "AKIAZ7Q3KX4M2PLNVR5T";
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYq3kz9TmQ2d";
  private static final String CHUNK_DELAY_PROPERTY = "100";

  private static Vertx vertx;
  private static FakeModelServer model;
  private static HttpHarness openai;
  private static HttpHarness anthropic;
  private static HttpHarness blocking;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    model =
        FakeModelServer.start(
            0,
            HttpHarness.UPSTREAM_SECRET,
            Duration.ofMillis(Long.parseLong(CHUNK_DELAY_PROPERTY)));
    String target = "http://127.0.0.1:" + model.port();
    openai = HttpHarness.start(vertx, "llm", target);
    anthropic =
        HttpHarness.start(vertx, "llm", target, b -> b.setCredentialStyle("header:x-api-key"));
    blocking =
        HttpHarness.start(
            vertx,
            "llm",
            target,
            b -> b,
            """
            {"schemaVersion": 1,
             "access": [{"id": "all", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
             "llm": {"prompts": "block"}}
            """);
  }

  @AfterAll
  static void stop() throws Exception {
    blocking.close();
    anthropic.close();
    openai.close();
    model.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String chatRequest(String text, boolean stream) {
    return JSON.createObjectNode()
        .put("model", "gpt-test")
        .put("stream", stream)
        .set(
            "messages",
            JSON.createArrayNode()
                .add(JSON.createObjectNode().put("role", "system").put("content", "Be brief."))
                .add(JSON.createObjectNode().put("role", "user").put("content", text)))
        .toString();
  }

  private static HttpRequest.Builder post(HttpHarness ward, String path, String body) {
    return ward.request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static boolean modelSaw(String text) {
    return model.received().stream()
        .anyMatch(r -> r.body().contains(text) || r.headers().toString().contains(text));
  }

  private static LlmExchange awaitLlm(HttpHarness ward, String marker) throws Exception {
    Event e =
        ward.awaitEvent(
            ev ->
                ev.hasLlm()
                    && (ev.getLlm().getRequestJson().contains(marker)
                        || ev.getLlm().getCompletionText().contains(marker)));
    return e.getLlm();
  }

  @Test
  void secretInAChatPromptIsMaskedBeforeItReachesTheModelAndTheExchangeIsRecorded()
      throws Exception {
    String prompt =
        "marker-1 why does this fail? aws_access_key_id="
            + AWS_KEY_ID
            + " aws_secret_access_key="
            + AWS_SECRET;

    HttpResponse<String> response =
        openai.send(post(openai, "/v1/chat/completions", chatRequest(prompt, false)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    String completion = body.at("/choices/0/message/content").asText();
    // the model repeats what reached it: the key did not
    assertThat(completion)
        .contains("marker-1")
        .contains("[REDACTED:aws-access-key")
        .doesNotContain(AWS_KEY_ID);
    assertThat(modelSaw(AWS_KEY_ID)).isFalse();
    assertThat(modelSaw(AWS_SECRET)).isFalse();
    // the provider got the injected key, never the grant
    assertThat(model.received().getLast().headers().get("Authorization"))
        .containsExactly("Bearer " + HttpHarness.UPSTREAM_SECRET);

    LlmExchange llm = awaitLlm(openai, "marker-1");
    assertThat(llm.getProvider()).isEqualTo("openai");
    assertThat(llm.getApi()).isEqualTo("openai-chat");
    assertThat(llm.getModel()).isEqualTo("gpt-test");
    assertThat(llm.getStreamed()).isFalse();
    assertThat(llm.getStatus()).isEqualTo(200);
    assertThat(llm.getRequestJson()).contains("marker-1").doesNotContain(AWS_KEY_ID);
    assertThat(llm.getCompletionText()).isEqualTo(completion);
    assertThat(llm.getPromptTokens()).isPositive();
    assertThat(llm.getCompletionTokens()).isPositive();
    assertThat(llm.getDurationNanos()).isPositive();
    Event manifest =
        openai.awaitEvent(
            ev ->
                ev.hasMasking()
                    && ev.getMasking().getEntriesList().stream()
                        .anyMatch(m -> m.getLocation().startsWith("$.messages[1].content")));
    assertThat(manifest.getMasking().getEntriesList())
        .extracting(m -> m.getRule())
        .anyMatch(rule -> rule.startsWith("aws-"));
    assertThat(recordedBytesOf(openai)).doesNotContain(AWS_KEY_ID).doesNotContain(AWS_SECRET);
  }

  @Test
  void streamedChatPassesEachChunkOnAsItArrives() throws Exception {
    String prompt = "marker-2 " + "tell me a long story about databases ".repeat(3);
    long sent = System.nanoTime();
    HttpResponse<Stream<String>> response =
        openai
            .client()
            .send(
                post(openai, "/v1/chat/completions", chatRequest(prompt, true))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    List<Long> arrivals = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    response
        .body()
        .forEach(
            line -> {
              if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                arrivals.add(System.nanoTime() - sent);
                try {
                  text.append(
                      JSON.readTree(line.substring(6)).at("/choices/0/delta/content").asText(""));
                } catch (java.io.IOException e) {
                  throw new AssertionError(e);
                }
              }
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
    assertThat(arrivals).hasSizeGreaterThan(10);
    // the server pauses 100 ms between chunks: unbuffered, the first arrives long before the last
    long first = arrivals.getFirst();
    long last = arrivals.getLast();
    assertThat(TimeUnit.NANOSECONDS.toMillis(last - first))
        .isGreaterThan((arrivals.size() - 2) * 100L * 8 / 10);
    assertThat(text.toString())
        .startsWith("You said: marker-2")
        .contains(FakeModelServer.SUGGESTION);

    LlmExchange llm = awaitLlm(openai, "marker-2");
    assertThat(llm.getStreamed()).isTrue();
    assertThat(llm.getCompletionText()).isEqualTo(text.toString());
    assertThat(llm.getFirstTokenNanos()).isPositive().isLessThan(llm.getDurationNanos());
  }

  @Test
  void toolsOfferedAndTheToolCallTheModelMadeAreRecorded() throws Exception {
    JsonNode request = JSON.readTree(chatRequest("marker-3 use a tool to count customers", true));
    ((com.fasterxml.jackson.databind.node.ObjectNode) request)
        .set("stream_options", JSON.createObjectNode().put("include_usage", true));
    ((com.fasterxml.jackson.databind.node.ObjectNode) request)
        .set(
            "tools",
            JSON.readTree(
                """
                [{"type": "function", "function": {"name": "run_sql",
                  "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}},
                 {"type": "function", "function": {"name": "git_push"}}]
                """));

    HttpResponse<String> response =
        openai.send(post(openai, "/v1/chat/completions", request.toString()));

    assertThat(response.statusCode()).isEqualTo(200);
    LlmExchange llm = awaitLlm(openai, "marker-3");
    assertThat(llm.getToolsOfferedList()).containsExactly("run_sql", "git_push");
    assertThat(llm.getToolCallsList()).hasSize(1);
    assertThat(llm.getToolCallsList().getFirst())
        .startsWith("run_sql(")
        .contains("SELECT id, email FROM customers");
    assertThat(llm.getPromptTokens()).isPositive();
    assertThat(llm.getCompletionTokens()).isPositive();
  }

  @Test
  void responsesApiStreamIsRecordedFromItsCompletedEvent() throws Exception {
    String body =
        JSON.createObjectNode()
            .put("model", "gpt-resp")
            .put("stream", true)
            .put(
                "input",
                "marker-4 what should I run? token ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
            .toString();

    HttpResponse<String> response = openai.send(post(openai, "/v1/responses", body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("event: response.completed");
    assertThat(modelSaw("ghp_A1b2C3d4")).isFalse();
    LlmExchange llm = awaitLlm(openai, "marker-4");
    assertThat(llm.getApi()).isEqualTo("openai-responses");
    assertThat(llm.getModel()).isEqualTo("gpt-resp");
    assertThat(llm.getCompletionText())
        .contains("[REDACTED:github")
        .contains(FakeModelServer.SUGGESTION);
    assertThat(llm.getPromptTokens()).isPositive();
  }

  @Test
  void anthropicSdkTalksThroughWardWithTheGrantAsItsApiKey() throws Exception {
    AnthropicClient client =
        AnthropicOkHttpClient.builder()
            .apiKey(anthropic.grant())
            .baseUrl(anthropic.url(""))
            .build();
    try {
      MessageCreateParams params =
          MessageCreateParams.builder()
              .model("claude-test")
              .maxTokens(256)
              .addUserMessage(
                  "marker-5 my key is sk-ant-api03-"
                      + "x".repeat(20)
                      + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rT1vX3zB5dF7hK9mN1pQ3sT5v-AbCdEfAA")
              .build();
      Message message = client.messages().create(params);
      String text =
          message.content().stream()
              .flatMap(b -> b.text().stream())
              .map(t -> t.text())
              .collect(Collectors.joining());
      assertThat(text).contains("marker-5").contains("[REDACTED:");
      assertThat(message.usage().inputTokens()).isPositive();

      StringBuilder streamed = new StringBuilder();
      try (StreamResponse<RawMessageStreamEvent> stream =
          client
              .messages()
              .createStreaming(
                  MessageCreateParams.builder()
                      .model("claude-test")
                      .maxTokens(256)
                      .addUserMessage("marker-6 suggest a query")
                      .build())) {
        stream.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .forEach(t -> streamed.append(t.text()));
      }
      assertThat(streamed.toString())
          .startsWith("You said: marker-6")
          .contains(FakeModelServer.SUGGESTION);
    } finally {
      client.close();
    }
    assertThat(model.received().stream().filter(r -> r.path().equals("/v1/messages")))
        .allSatisfy(
            r ->
                assertThat(r.headers().get("X-api-key"))
                    .containsExactly(HttpHarness.UPSTREAM_SECRET));

    LlmExchange whole = awaitLlm(anthropic, "marker-5");
    assertThat(whole.getProvider()).isEqualTo("anthropic");
    assertThat(whole.getApi()).isEqualTo("anthropic-messages");
    assertThat(whole.getStreamed()).isFalse();
    assertThat(whole.getRequestJson()).doesNotContain("sk-ant-api03-");
    LlmExchange streamedRecord = awaitLlm(anthropic, "marker-6");
    assertThat(streamedRecord.getStreamed()).isTrue();
    assertThat(streamedRecord.getModel()).isEqualTo("claude-test");
    assertThat(streamedRecord.getCompletionText()).startsWith("You said: marker-6");
    assertThat(streamedRecord.getCompletionTokens()).isPositive();
  }

  @Test
  void policyThatBlocksSecretPromptsRefusesInTheProvidersOwnErrorFormat() throws Exception {
    int before = model.received().size();
    String prompt =
        "marker-7 deploy with AWS_SECRET_ACCESS_KEY=" + AWS_SECRET + " and " + AWS_KEY_ID;

    HttpResponse<String> response =
        blocking.send(post(blocking, "/v1/chat/completions", chatRequest(prompt, false)));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("ward_prompt_secret");
    assertThat(error.path("message").asText()).contains("aws-").doesNotContain(AWS_KEY_ID);
    assertThat(model.received()).hasSize(before);
    LlmExchange llm = awaitLlm(blocking, "marker-7");
    assertThat(llm.getStatus()).isEqualTo(400);
    assertThat(llm.getRequestJson()).doesNotContain(AWS_KEY_ID).doesNotContain(AWS_SECRET);
    Event decision = blocking.awaitEvent(Event::hasGuardrail);
    assertThat(decision.getGuardrail().getRule()).isEqualTo(LlmHandler.PROMPT_RULE);
    assertThat(decision.getGuardrail().getAction()).isEqualTo("deny");
  }

  @Test
  void requestThatIsNotJsonGetsAProviderStyleErrorAndNeverReachesTheModel() throws Exception {
    int before = model.received().size();

    HttpResponse<String> response =
        openai.send(
            post(openai, "/v1/chat/completions", "{\"model\": \"gpt-test\", \"messages\": ["));
    HttpResponse<String> anthropicResponse =
        anthropic.send(
            anthropic
                .request("/v1/messages")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1, 2")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_json");
    assertThat(anthropicResponse.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(anthropicResponse.body()).at("/type").asText()).isEqualTo("error");
    assertThat(model.received()).hasSize(before);
  }

  @Test
  void requestWithoutAGrantIsRefusedAndOtherEndpointsAreRelayed() throws Exception {
    HttpResponse<String> anonymous =
        openai.send(
            HttpRequest.newBuilder(java.net.URI.create(openai.url("/v1/chat/completions")))
                .POST(HttpRequest.BodyPublishers.ofString(chatRequest("hi", false))));
    HttpResponse<String> models = openai.send(openai.request("/v1/models"));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("ward-fake-1");
  }

  private static String recordedBytesOf(HttpHarness ward) {
    StringBuilder all = new StringBuilder();
    for (var s : ward.recorder.sessions()) {
      s.events().forEach(e -> all.append(e.toString()));
    }
    return all.toString();
  }
}
