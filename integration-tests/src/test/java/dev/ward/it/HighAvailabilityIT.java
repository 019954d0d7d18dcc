package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Haproxy;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two agents serve one connection behind HAProxy (TCP, round robin, health checks). One is killed
 * with SIGKILL while sessions run on both: sessions on the other continue, every new session lands
 * on the survivor, and once the killed agent is back its interrupted sessions verify as recovered
 * (not tampered) — no recording is lost.
 */
@Timeout(600)
class HighAvailabilityIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final ObjectMapper JSON = new ObjectMapper();

  static S3Server s3;
  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static final AgentProcess[] agents = new AgentProcess[2];
  static final String[] hosts = {"127.0.0.2", "127.0.0.3"};
  static final String[] tokens = new String[2];
  static Map<String, String> env;
  static Haproxy balancer;
  static int listenPort;
  static String connectionId;

  @BeforeAll
  static void start() throws Exception {
    Path s3Dir = BuildLogs.folder("ha-s3");
    s3 =
        new S3Server(
                s3Dir.resolve("data"), "ward-it", "ward-it-secret-key", s3Dir.resolve("s3.log"))
            .start();
    s3.createBucket("recordings");
    cp =
        new ControlPlaneFixture(
            "ha",
            Map.of(
                "WARD_RECORDING_ENDPOINT", s3.endpoint(),
                "WARD_RECORDING_BUCKET", "recordings",
                "WARD_RECORDING_ACCESS_KEY", s3.accessKey(),
                "WARD_RECORDING_SECRET_KEY", s3.secretKey()));
    upstream =
        PostgresCluster.builder()
            .user("app", UPSTREAM_PASSWORD, PostgresCluster.Auth.SCRAM_SHA_256)
            .start();
    upstream.createDatabase("shop", "app");
    listenPort = Ports.free();
    connectionId =
        cp.api
            .post(
                "/api/v1/connections",
                Map.of(
                    "name", "shop",
                    "kind", "postgres",
                    "listenPort", listenPort,
                    "target", upstream.target(),
                    "database", "shop",
                    "username", "app",
                    "secretRef", "env:SHOP_DB_PASSWORD",
                    "upstreamTls", "disable"))
            .expect(201)
            .get("id")
            .asText();
    env = new HashMap<>();
    env.put("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD);
    env.put("WARD_AGENT_RECORDING_ENDPOINT", s3.endpoint());
    env.put("WARD_AGENT_RECORDING_BUCKET", "recordings");
    env.put("WARD_AGENT_RECORDING_ACCESS_KEY", s3.accessKey());
    env.put("WARD_AGENT_RECORDING_SECRET_KEY", s3.secretKey());
    for (int i = 0; i < 2; i++) {
      tokens[i] = cp.registerAgent("edge-" + i);
      startAgent(i, "agent-" + i + ".log");
    }
    balancer =
        Haproxy.start(
            List.of(hosts[0] + ":" + listenPort, hosts[1] + ":" + listenPort),
            cp.logs.resolve("haproxy"));
  }

  static void startAgent(int i, String log) throws Exception {
    Map<String, String> e = new HashMap<>(env);
    // both agents on this host: each binds the connection's port on its own address
    e.put("WARD_AGENT_LISTEN_HOST", hosts[i]);
    agents[i] =
        new AgentProcess(
                cp.url(),
                tokens[i],
                cp.logs.resolve("agent-data-" + i),
                Ports.free(),
                e,
                cp.logs.resolve(log))
            .start();
    agents[i].awaitReady(Duration.ofSeconds(120));
    AgentProcess a = agents[i];
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(readiness(a).at("/listeners/shop").asInt()).isEqualTo(listenPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {balancer, agents[0], agents[1], upstream, cp, s3}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static JsonNode readiness(AgentProcess agent) throws Exception {
    return JSON.readTree(agent.readiness());
  }

  static String grant(String actor) throws Exception {
    return cp.api
        .post("/api/v1/connections/" + connectionId + "/grants", Map.of("actor", actor))
        .expect(201)
        .get("token")
        .asText();
  }

  @Test
  void killingOneAgentLeavesSessionsAndNewConnectionsToTheOtherAndLosesNoRecording()
      throws Exception {
    List<Psql> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Psql psql = Psql.open(grant("ha-" + i), balancer.port());
      psql.answer("SELECT 'before-kill'");
      sessions.add(psql);
    }
    // round robin: both agents carry sessions
    assertThat(readiness(agents[0]).get("openSessions").asInt()).isPositive();
    assertThat(readiness(agents[1]).get("openSessions").asInt()).isPositive();

    agents[0].kill();
    List<String> cut = new ArrayList<>();
    List<String> survived = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      Psql psql = sessions.get(i);
      psql.send("SELECT 'after-kill'");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> psql.ended(Duration.ZERO) || psql.output().contains("after-kill"));
      (psql.output().contains("after-kill") ? survived : cut).add("ha-" + i);
    }
    assertThat(cut).isNotEmpty();
    assertThat(survived).isNotEmpty();

    for (int i = 0; i < 10; i++) {
      Psql.Run run = Psql.commands(balancer.port(), grant("after-kill-" + i), List.of("SELECT 1"));
      assertThat(run.status()).as(run.out()).isZero();
    }
    for (String actor : survived) {
      sessions.get(Integer.parseInt(actor.substring(3))).close();
    }

    startAgent(0, "agent-0-restarted.log");
    for (String actor : cut) {
      assertThat(verdictOf(actor, "INTACT_RECOVERED")).isEqualTo("INTACT_RECOVERED");
    }
    for (String actor : survived) {
      assertThat(verdictOf(actor, "INTACT")).isEqualTo("INTACT");
    }
    for (int i = 0; i < 10; i++) {
      assertThat(verdictOf("after-kill-" + i, "INTACT")).isEqualTo("INTACT");
    }
  }

  /** The verdict of the actor's one session once it is {@code expected}; never TAMPERED. */
  static String verdictOf(String actor, String expected) {
    String[] last = new String[1];
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode items =
                  cp.api.get("/api/v1/sessions?actor=" + actor).expect(200).get("items");
              assertThat(items).as(actor).hasSize(1);
              JsonNode v =
                  cp.api
                      .post(
                          "/api/v1/sessions/" + items.get(0).get("id").asText() + "/verify",
                          Map.of())
                      .expect(200);
              last[0] = v.get("integrity").asText();
              assertThat(last[0]).as(actor + " " + v).isNotEqualTo("TAMPERED").isEqualTo(expected);
            });
    return last[0];
  }
}
