package dev.ward.agent.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed and oversized HTTP gets problem+json answers, never a hang or a stack trace. */
class BadHttpInputTest {

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
            upstream.url(),
            b ->
                b.putOptions("max_header_bytes", "4096")
                    .putOptions("max_request_line_bytes", "1024")
                    .putOptions("max_request_body_bytes", "10000"));
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void garbageIsAnsweredWith400Problem() throws Exception {
    String answer = raw("NOT HTTP AT ALL\u0001\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1\\.[01] 400 .*").contains("application/problem+json");
    assertThat(answer).contains("malformed-request");
  }

  @Test
  void oversizedHeadersAreAnsweredWith431Problem() throws Exception {
    String answer =
        raw("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(8000) + "\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1\\.[01] 431 .*").contains("headers-too-large");
  }

  @Test
  void overlongRequestLineIsAnsweredWith414Problem() throws Exception {
    String answer = raw("GET /" + "a".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1\\.[01] 414 .*").contains("request-line-too-long");
  }

  @Test
  void declaredOversizedBodyIsAnsweredWith413Problem() throws Exception {
    HttpResponse<String> response =
        ward.send(
            ward.request("/api/upload")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(20000))));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("body-too-large");
  }

  @Test
  void streamedOversizedBodyIsCutOffWith413Problem() throws Exception {
    HttpResponse<String> response =
        ward.send(
            ward.request("/api/upload")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(
                                "y".repeat(50000).getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.statusCode()).isEqualTo(413);
  }

  private static String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", ward.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
