package dev.ward.agent.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP-like connections honour the offline mode the same way PostgreSQL ones do. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpOfflineModeTest {

  private static Vertx vertx;
  private static TestUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx, null);
  }

  @AfterAll
  static void stop() throws Exception {
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void failClosedConnectionAnswersANewSessionWith503ProblemAndRecordsNothing() throws Exception {
    try (HttpHarness ward =
        HttpHarness.start(
            vertx, "http", upstream.url() + "/", b -> b.setOfflineMode("fail-closed"))) {
      ward.controlPlaneReachable.set(false);
      HttpResponse<String> response = ward.send(ward.request("/api/echo"));
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(response.body()).contains("fail-closed").contains("admits no new sessions");
      assertThat(ward.exchanges()).isEmpty();
    }
  }

  @Test
  void failOpenConnectionServesNewSessionsWhileTheControlPlaneIsUnreachable() throws Exception {
    try (HttpHarness ward =
        HttpHarness.start(
            vertx, "http", upstream.url() + "/", b -> b.setOfflineMode("fail-open"))) {
      ward.controlPlaneReachable.set(false);
      assertThat(ward.send(ward.request("/api/echo")).statusCode()).isEqualTo(200);
    }
  }
}
