package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** The walking skeleton over real processes: control plane, PostgreSQL and agents. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class AgentChannelIT {

  static ControlPlaneFixture cp;
  static AgentProcess agent;
  static String agentToken;

  @BeforeAll
  static void start() throws Exception {
    cp = new ControlPlaneFixture("channel");
    agentToken = cp.registerAgent("edge");
    agent = startAgent("edge", agentToken);
    agent.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.stop();
    }
    if (cp != null) {
      cp.close();
    }
  }

  static AgentProcess startAgent(String name, String token) throws Exception {
    return new AgentProcess(
            cp.url(),
            token,
            cp.logs.resolve(name + "-data"),
            Ports.free(),
            Map.of(),
            cp.logs.resolve(name + ".log"))
        .start();
  }

  @Test
  @Order(1)
  void theAgentShowsAsConnectedAndAcknowledgesTheTenantsConfig() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode a = cp.agent("edge");
              assertThat(a.get("status").asText()).isEqualTo("online");
              assertThat(a.get("configVersionAcked").asLong()).isEqualTo(tenantConfigVersion());
              assertThat(a.get("lastHeartbeatAt").isNull()).isFalse();
            });
    assertThat(agent.status("/readyz")).isEqualTo(200);
    assertThat(agent.status("/healthz")).isEqualTo(200);
    assertThat(agent.dataDir().resolve("config.snapshot")).exists();
    // Linux x86-64 and arm64 relay on Netty's native transport (what docs/benchmarks.md measures)
    assertThat(lines(agent.log()))
        .anyMatch(l -> l.matches(".*\\d+ event loops? on Netty's native epoll transport.*"));
  }

  @Test
  @Order(2)
  void afterAControlPlaneRestartTheAgentReconnectsAndAcksTheSameVersion() throws Exception {
    String connectedBefore = cp.agent("edge").get("connectedAt").asText();
    long version = tenantConfigVersion();
    cp.stop();
    // While the control plane is away the agent keeps enforcing its config.
    assertThat(agent.status("/readyz")).isEqualTo(200);
    assertThat(agent.isAlive()).isTrue();
    cp.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode a = cp.agent("edge");
              assertThat(a.get("status").asText()).isEqualTo("online");
              assertThat(a.get("connectedAt").asText()).isNotEqualTo(connectedBefore);
              assertThat(a.get("configVersionAcked").asLong()).isEqualTo(version);
            });
    assertThat(agent.status("/readyz")).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aWrongTokenIsRefusedAndTheAgentBacksOffInsteadOfHammering() throws Exception {
    String wrong = "wat_" + "x".repeat(43);
    AgentProcess impostor = startAgent("impostor", wrong);
    try {
      Thread.sleep(12_000);
      List<String> refusals =
          lines(impostor.log()).stream().filter(l -> l.contains("refused this agent")).toList();
      assertThat(refusals).isNotEmpty();
      // Refusals back off from 5 s upwards: a handful of attempts in 12 s, not hundreds.
      assertThat(refusals.size()).isBetween(1, 5);
      assertThat(impostor.status("/readyz")).isEqualTo(503);
      assertThat(impostor.isAlive()).isTrue();
    } finally {
      impostor.stop();
    }
    assertNoLogContains(wrong);
  }

  @Test
  @Order(4)
  void aRevokedAgentIsCutOffAndRefusedOnReconnect() throws Exception {
    String token = cp.registerAgent("leaving");
    AgentProcess leaving = startAgent("leaving", token);
    try {
      leaving.awaitReady(Duration.ofSeconds(60));
      String id = cp.agent("leaving").get("id").asText();
      cp.api.post("/api/v1/agents/" + id + "/revoke", Map.of()).expect(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(lines(leaving.log())).anyMatch(l -> l.contains("refused this agent")));
      assertThat(cp.agent("leaving").get("status").asText()).isEqualTo("revoked");
    } finally {
      leaving.stop();
    }
    assertNoLogContains(token);
  }

  @Test
  @Order(5)
  void noLogLineContainsAnAgentToken() throws Exception {
    assertNoLogContains(agentToken);
  }

  /** The tenant's current config version, as the control plane reports it. */
  private static long tenantConfigVersion() throws Exception {
    return cp.api.get("/api/v1/config").expect(200).get("version").asLong();
  }

  private static void assertNoLogContains(String secret) throws Exception {
    try (Stream<Path> files = Files.walk(cp.logs)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        assertThat(Files.readString(f)).as("log %s", f).doesNotContain(secret);
      }
    }
  }

  private static List<String> lines(Path log) throws Exception {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
