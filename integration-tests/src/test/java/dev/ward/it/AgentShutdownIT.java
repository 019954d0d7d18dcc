package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.DemoHttpApi;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent stopped the way an operator or systemd stops it (SIGTERM) while psql and HTTP sessions
 * are open: each psql client is told in protocol terms ({@code FATAL 57P01}), an idle HTTP
 * keep-alive connection is closed without a reset, every session is sealed with end reason {@code
 * agent-shutdown} and shown as interrupted in the control plane's index before the process exits
 * with status 0 within a bound, and once the agent is started again every session of the run is
 * uploaded and verifies INTACT with every answered statement.
 */
@Timeout(300)
class AgentShutdownIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final String HTTP_TOKEN = "api-token-" + System.nanoTime();

  /** systemd's default TimeoutStopSec is 90 s and the install script sets 30 s: stay well under. */
  static final Duration STOP_BOUND = Duration.ofSeconds(20);

  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static DemoHttpApi httpApi;
  static AgentProcess agent;
  static Map<String, String> env;
  static String token;
  static int shopPort;
  static int apiPort;
  static String shopId;
  static String apiId;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlaneFixture.withRecordings("shutdown");
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "shop");
    httpApi = new DemoHttpApi(0, HTTP_TOKEN);
    shopPort = Ports.free();
    shopId =
        cp.createConnection(
            ControlPlaneFixture.postgresConnection(
                "shop", shopPort, upstream, "shop", "SHOP_DB_PASSWORD"));
    apiPort = Ports.free();
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("name", "api");
    api.put("kind", "http");
    api.put("listenPort", apiPort);
    api.put("target", httpApi.url());
    api.put("credentialStyle", "bearer");
    api.put("secretRef", "env:IT_HTTP_TOKEN");
    api.put("allowPlaintextGrant", true);
    // the HTTP session stays open between requests until the agent stops
    api.put("options", Map.of("session_idle_seconds", "600"));
    apiId = cp.createConnection(api);
    env = new HashMap<>(cp.agentRecordingSettings());
    env.put("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD);
    env.put("IT_HTTP_TOKEN", HTTP_TOKEN);
    token = cp.registerAgent("edge");
    startAgent("agent.log");
  }

  static void startAgent(String log) throws Exception {
    agent = cp.startAgent(token, "agent-data", env, log, Map.of("shop", shopPort, "api", apiPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, httpApi, upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String grant(String connectionId, String actor) throws IOException {
    return cp.grant(connectionId, actor);
  }

  @Test
  void sigtermTellsEveryClientSealsEverySessionAsAgentShutdownAndExitsCleanly() throws Exception {
    // actor -> statements the psql client saw answered
    Map<String, Integer> answered = new LinkedHashMap<>();
    Psql.Run finished =
        Psql.commands(
            shopPort, grant(shopId, "finished-before"), List.of("SELECT 'a'", "SELECT 'b'"));
    assertThat(finished.status()).as(finished.out()).isZero();
    answered.put("finished-before", 2);

    List<Psql> open = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Psql psql = Psql.open(grant(shopId, "open-" + i), shopPort);
      for (int n = 1; n <= 3; n++) {
        psql.answer("SELECT 'open-" + i + "-" + n + "'");
      }
      open.add(psql);
      answered.put("open-" + i, 3);
    }

    // An HTTP client on one keep-alive connection; two requests answered, then idle.
    String httpGrant = grant(apiId, "http-open");
    Socket http = new Socket("127.0.0.1", apiPort);
    http.setSoTimeout(30_000);
    for (int i = 0; i < 2; i++) {
      assertThat(exchange(http, httpGrant, "/customers")).startsWith("HTTP/1.1 200");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(agent.readinessJson().get("openSessions").asInt()).isEqualTo(3));

    long stopping = System.nanoTime();
    agent.stop(Duration.ofSeconds(60));
    Duration took = Duration.ofNanos(System.nanoTime() - stopping);
    System.out.printf("Agent stopped with SIGTERM in %d ms%n", took.toMillis());
    assertThat(agent.isAlive()).isFalse();
    assertThat(took).isLessThan(STOP_BOUND);
    assertThat(agent.exitValue()).hasValue(0);
    assertThat(Files.readString(agent.log())).doesNotContain("Exception");

    for (Psql psql : open) {
      // psql reads the server when it runs a statement: the next one meets the goodbye
      psql.send("SELECT 'after-stop'");
      assertThat(psql.ended(Duration.ofSeconds(30))).isTrue();
      assertThat(psql.output())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("FATAL")
                      .contains("57P01")
                      .contains("Ward is shutting down this connection"))
          .noneMatch(line -> line.equals("after-stop"));
    }
    // the idle keep-alive connection is closed in order: end of stream, not a reset
    assertThat(http.getInputStream().read()).isEqualTo(-1);
    http.close();

    // the agent told the index before it exited: each open session was interrupted
    for (String actor : List.of("open-1", "open-2", "http-open")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          cp.api
                              .get("/api/v1/sessions/" + cp.sessions.idOf(actor))
                              .expect(200)
                              .get("state")
                              .asText())
                      .as(actor)
                      .isEqualTo("interrupted"));
    }

    startAgent("agent-restarted.log");
    answered.forEach(
        (actor, statements) -> {
          JsonNode v = cp.sessions.ofActorVerifiedAs(actor, "INTACT");
          // start, one event per answered statement, end
          assertThat(v.get("events").asLong()).as(actor + " " + v).isEqualTo(statements + 2);
        });
    JsonNode httpVerdict = cp.sessions.ofActorVerifiedAs("http-open", "INTACT");
    List<JsonNode> httpEvents = cp.sessions.replay(cp.sessions.idOf("http-open"));
    assertThat(httpEvents).filteredOn(e -> e.get("type").asText().equals("exchange")).hasSize(2);
    assertThat(httpVerdict.get("events").asLong()).isEqualTo(httpEvents.size());
    for (String actor : List.of("open-1", "open-2", "http-open")) {
      List<JsonNode> events = cp.sessions.replay(cp.sessions.idOf(actor));
      assertThat(events.getLast().get("type").asText()).isEqualTo("end");
      assertThat(events.getLast().at("/event/end/reason").asText())
          .as(actor)
          .isEqualTo("agent-shutdown");
    }
    assertThat(
            cp.sessions
                .replay(cp.sessions.idOf("finished-before"))
                .getLast()
                .at("/event/end/reason")
                .asText())
        .isNotEqualTo("agent-shutdown");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              try (Stream<Path> folders = Files.list(agent.dataDir().resolve("spool"))) {
                assertThat(folders.filter(Files::isDirectory).toList()).isEmpty();
              }
            });
  }

  /** Sends one GET on the keep-alive connection and returns the response head and body. */
  static String exchange(Socket socket, String grant, String path) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + grant
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("response head so far: %s", head).isNotNegative();
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    assertThat(length).as(text).isPositive();
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
