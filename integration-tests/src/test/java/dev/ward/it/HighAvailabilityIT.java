package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ward.stack.AgentProcess;
import dev.ward.stack.Haproxy;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
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
    cp = ControlPlaneFixture.withRecordings("ha");
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "shop");
    listenPort = Ports.free();
    connectionId =
        cp.createConnection(
            ControlPlaneFixture.postgresConnection(
                "shop", listenPort, upstream, "shop", "SHOP_DB_PASSWORD"));
    env = new HashMap<>(cp.agentRecordingSettings());
    env.put("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD);
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
    agents[i] = cp.startAgent(tokens[i], "agent-data-" + i, e, log, Map.of("shop", listenPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {balancer, agents[0], agents[1], upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String grant(String actor) throws Exception {
    return cp.grant(connectionId, actor);
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
    assertThat(agents[0].readinessJson().get("openSessions").asInt()).isPositive();
    assertThat(agents[1].readinessJson().get("openSessions").asInt()).isPositive();

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
    return cp.sessions.ofActorVerifiedAs(actor, expected).get("integrity").asText();
  }
}
