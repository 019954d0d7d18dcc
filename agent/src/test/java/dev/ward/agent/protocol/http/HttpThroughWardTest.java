package dev.ward.agent.protocol.http;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.WebSocketMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpThroughWardTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static TestUpstream upstream;
  private static HttpHarness ward;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx, null);
    ward =
        HttpHarness.start(
            vertx,
            "http",
            upstream.url() + "/",
            b -> b.putOptions("max_buffered_body_bytes", "100000"));
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bearerGrantIsReplacedByTheInjectedUpstreamCredential() throws Exception {
    HttpResponse<String> response = ward.send(ward.request("/api/echo?x=1"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode seen = JSON.readTree(response.body());
    assertThat(seen.get("authorization").asText())
        .isEqualTo("Bearer " + HttpHarness.UPSTREAM_SECRET);
    assertThat(seen.get("uri").asText()).isEqualTo("/api/echo?x=1");
    assertThat(seen.get("host").asText()).isEqualTo("127.0.0.1:" + upstream.port);
    Exchange recorded = ward.awaitExchange("/api/echo");
    assertThat(recorded.getMethod()).isEqualTo("GET");
    assertThat(recorded.getStatus()).isEqualTo(200);
    assertThat(recorded.getDurationNanos()).isPositive();
    assertThat(recorded.getRequestHeadersMap()).containsEntry("authorization", "[redacted]");
    assertThat(recorded.getRequestHeadersMap().toString())
        .doesNotContain(HttpHarness.UPSTREAM_SECRET);
  }

  @Test
  void basicAuthPasswordCarriesTheGrant() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(("alice:" + ward.grant()).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        ward.send(
            HttpRequest.newBuilder(java.net.URI.create(ward.url("/api/echo")))
                .header("Authorization", "Basic " + basic));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("authorization").asText())
        .isEqualTo("Bearer " + HttpHarness.UPSTREAM_SECRET);
  }

  @Test
  void requestWithoutGrantGetsProblem401() throws Exception {
    HttpResponse<String> response =
        ward.send(HttpRequest.newBuilder(java.net.URI.create(ward.url("/api/echo"))));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("Basic");
    assertThat(JSON.readTree(response.body()).get("type").asText()).endsWith("/grant-required");
  }

  @Test
  void forgedGrantIsRejected() throws Exception {
    HttpResponse<String> response =
        ward.send(
            HttpRequest.newBuilder(java.net.URI.create(ward.url("/api/echo")))
                .header("Authorization", "Bearer " + ward.grant() + "x"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("signature");
  }

  @Test
  void secretsInJsonResponsesAreMaskedForClientAndRecording() throws Exception {
    HttpResponse<String> response = ward.send(ward.request("/api/leak"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain(TestUpstream.AWS_KEY);
    assertThat(JSON.readTree(response.body()).get("note").asText()).isEqualTo("ok");
    Exchange recorded = ward.awaitExchange("/api/leak");
    assertThat(recorded.getResponseBody().toStringUtf8())
        .doesNotContain(TestUpstream.AWS_KEY)
        .contains("\"note\"");
    ward.awaitEvent(e -> e.hasMasking() && e.getMasking().toString().contains("$.access_key"));
  }

  @Test
  void serverSentEventsAreMaskedEventByEvent() throws Exception {
    HttpResponse<String> response = ward.send(ward.request("/api/events"));

    assertThat(response.body())
        .doesNotContain(TestUpstream.AWS_KEY)
        .contains("event: message\nid: 1\ndata: {\"key\":")
        .contains("data: plain ");
  }

  @Test
  void deniedMethodAndPathGetProblem403NamingTheRule() throws Exception {
    HttpResponse<String> response = ward.send(ward.request("/admin/users/7").DELETE());

    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("rule").asText()).isEqualTo("no-admin-deletes");
    assertThat(problem.get("detail").asText()).contains("not allowed");
    assertThat(upstream.lastPath.get()).isNotEqualTo("/admin/users/7");
    Exchange recorded = ward.awaitExchange("/admin/users/7");
    assertThat(recorded.getBlocked()).isTrue();
    ward.awaitEvent(e -> e.hasGuardrail() && e.getGuardrail().getRule().equals("no-admin-deletes"));
  }

  @Test
  void heldRequestIsRefusedAsRequiringApproval() throws Exception {
    HttpResponse<String> response =
        ward.send(ward.request("/admin/users").POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asText()).endsWith("/approval-required");
    assertThat(problem.get("rule").asText()).isEqualTo("admin-writes");
  }

  @Test
  void largeBodiesStreamBothWays() throws Exception {
    long size = 16L * 1024 * 1024;
    HttpResponse<String> up =
        ward.send(
            ward.request("/api/upload")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(size))));
    assertThat(JSON.readTree(up.body()).get("received").asLong()).isEqualTo(size);

    HttpResponse<InputStream> down =
        ward.client()
            .send(
                ward.request("/api/download?bytes=" + size).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    long read = 0;
    try (InputStream in = down.body()) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    }
    assertThat(read).isEqualTo(size);
    Exchange recorded = ward.awaitExchange("/api/download");
    assertThat(recorded.getResponseBytes()).isEqualTo(size);
    assertThat(recorded.getResponseBody().isEmpty()).isTrue();
  }

  @Test
  void textTooLargeToMaskIsRefusedNotPassedUnmasked() throws Exception {
    HttpResponse<String> response = ward.send(ward.request("/api/big"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).get("type").asText())
        .endsWith("/upstream-body-too-large");
  }

  @Test
  void webSocketPassesThroughWithInjectedCredential() throws Exception {
    var client = vertx.createWebSocketClient();
    var socket =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(ward.port)
                    .setURI("/ws")
                    .addHeader("Authorization", "Bearer " + ward.grant()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    var reply = new java.util.concurrent.CompletableFuture<String>();
    socket.handler(b -> reply.complete(b.toString()));
    socket.writeTextMessage("hello");

    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");
    assertThat(upstream.lastAuthorization.get()).isEqualTo("Bearer " + HttpHarness.UPSTREAM_SECRET);
    socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(ward.awaitExchange("/ws").getStatus()).isEqualTo(101);
  }

  /** A WebSocket through the agent to the test upstream, with every text message it receives. */
  private record Socket(
      io.vertx.core.http.WebSocket ws, java.util.concurrent.BlockingQueue<String> in) {}

  private Socket webSocket() throws Exception {
    var socket =
        vertx
            .createWebSocketClient()
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(ward.port)
                    .setURI("/ws/chat")
                    .addHeader("Authorization", "Bearer " + ward.grant()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    var in = new java.util.concurrent.LinkedBlockingQueue<String>();
    socket.textMessageHandler(in::add);
    return new Socket(socket, in);
  }

  @Test
  void secretsInTheUpstreamsWebSocketMessagesAreMaskedEvenWhenSplitAcrossFrames() throws Exception {
    Socket s = webSocket();
    s.ws().writeTextMessage("leak");
    String whole = s.in().poll(10, TimeUnit.SECONDS);
    s.ws().writeTextMessage("leak-in-frames");
    String framed = s.in().poll(10, TimeUnit.SECONDS);
    s.ws().writeTextMessage("hello");
    String echo = s.in().poll(10, TimeUnit.SECONDS);
    s.ws().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(whole).isEqualTo("{\"key\":\"[REDACTED:aws-access-key]\"}");
    assertThat(framed).isEqualTo("key [REDACTED:aws-access-key] end");
    assertThat(echo).isEqualTo("echo:hello");
  }

  @Test
  void everyWebSocketMessageIsRecordedMaskedWithItsDirection() throws Exception {
    Socket s = webSocket();
    s.ws().writeTextMessage("my key is " + TestUpstream.AWS_KEY);
    assertThat(s.in().poll(10, TimeUnit.SECONDS)).startsWith("echo:my key is ");
    s.ws().writeTextMessage("leak");
    assertThat(s.in().poll(10, TimeUnit.SECONDS)).contains("REDACTED");
    s.ws().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ward.awaitExchange("/ws/chat");

    List<Event> events = ward.recorder.last().events();
    List<WebSocketMessage> messages =
        events.stream().filter(Event::hasWebsocket).map(Event::getWebsocket).toList();
    assertThat(messages)
        .extracting(WebSocketMessage::getDirection, WebSocketMessage::getType)
        .containsExactly(
            tuple("client", "text"),
            tuple("upstream", "text"),
            tuple("client", "text"),
            tuple("upstream", "text"));
    assertThat(messages.get(0).getText()).isEqualTo("my key is [REDACTED:aws-access-key]");
    assertThat(messages.get(0).getPath()).isEqualTo("/ws/chat");
    assertThat(messages.get(3).getText()).contains("[REDACTED:aws-access-key]");
    assertThat(events.toString()).doesNotContain(TestUpstream.AWS_KEY);
    java.util.Set<Long> messageSeqs =
        events.stream().filter(Event::hasWebsocket).map(Event::getSeq).collect(toSet());
    assertThat(
            events.stream()
                .filter(e -> e.hasMasking() && messageSeqs.contains(e.getMasking().getEventSeq())))
        .hasSize(3);
  }

  private static InputStream zeros(long size) {
    return new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
  }
}
