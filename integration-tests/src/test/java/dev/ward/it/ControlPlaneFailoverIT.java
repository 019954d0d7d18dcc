package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.ControlPlaneProcess;
import dev.ward.stack.Database;
import dev.ward.stack.Haproxy;
import dev.ward.stack.LocalPostgres;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.WardApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two control-plane replicas on one database behind Debian's HAProxy (TCP mode, so gRPC over h2c
 * passes untouched), and an agent that knows only the balancer's URL. The replica holding the
 * agent's stream is stopped with SIGTERM, and later the other one with SIGKILL: each time the agent
 * reconnects to the surviving replica within its backoff, a config change made through the survivor
 * reaches it, an open psql session keeps answering throughout, and new sessions of a fail-closed
 * connection (which needs the control plane) are admitted.
 */
@Timeout(300)
class ControlPlaneFailoverIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());

  /**
   * The agent's first retry waits at most 0.5 s and HAProxy sends a refused connection to the other
   * replica at once; the rest is slack for a loaded machine.
   */
  static final Duration RECONNECT_BOUND = Duration.ofSeconds(20);

  static final Pattern CONNECTED = Pattern.compile("Agent edge \\(.*\\) connected");

  static LocalPostgres postgres;
  static Database db;
  static final ControlPlaneProcess[] replicas = new ControlPlaneProcess[2];
  static final WardApi[] apis = new WardApi[2];
  static Haproxy balancer;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static Path logs;
  static String shopId;
  static int shopPort;

  @BeforeAll
  static void start() throws Exception {
    logs = BuildLogs.folder("cp-failover");
    postgres = LocalPostgres.fromEnvironment();
    db = postgres.createDatabase("ward_it");
    String bootstrap = BuildLogs.watched("wboot_it-" + UUID.randomUUID());
    // Replicas of one control plane share its master key.
    Map<String, String> shared =
        Map.of("WARD_MASTER_KEY", BuildLogs.watched(ControlPlaneProcess.randomMasterKey()));
    for (int i = 0; i < 2; i++) {
      replicas[i] =
          new ControlPlaneProcess(
                  db, Ports.free(), bootstrap, shared, logs.resolve("replica-" + i + ".log"))
              .start();
    }
    String admin =
        new WardApi(replicas[0].url(), bootstrap)
            .post("/api/v1/admin/tenants", Map.of("slug", "it-failover", "name", "IT failover"))
            .expect(201)
            .get("adminToken")
            .asText();
    for (int i = 0; i < 2; i++) {
      apis[i] = new WardApi(replicas[i].url(), admin);
    }
    balancer =
        Haproxy.start(
            List.of("127.0.0.1:" + replicas[0].port(), "127.0.0.1:" + replicas[1].port()),
            logs.resolve("haproxy"));
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "shop");
    shopPort = Ports.free();
    // fail-closed (the default): a new session is admitted only while the agent is connected
    shopId = connection(apis[0], "shop", shopPort);
    agent =
        ControlPlaneFixture.startAgent(
            "http://127.0.0.1:" + balancer.port(),
            apis[0].registerAgent("edge"),
            logs.resolve("agent-data"),
            Map.of("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD),
            logs.resolve("agent.log"),
            Map.of("shop", shopPort));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c :
        new AutoCloseable[] {agent, balancer, upstream, replicas[0], replicas[1]}) {
      if (c != null) {
        c.close();
      }
    }
    if (db != null) {
      postgres.dropDatabase(db);
    }
  }

  @Test
  void theAgentMovesToTheSurvivingReplicaWhenTheOneHoldingItsStreamStopsOrDies() throws Exception {
    Psql across = Psql.open(grant(apis[0], "across-failover"), shopPort);
    across.answer("SELECT 'before'");

    // SIGTERM: the replica shuts down in order
    int holder = awaitHolder();
    int survivor = 1 - holder;
    long connectsBefore = connects(survivor);
    long stopping = System.nanoTime();
    replicas[holder].stop();
    long stopped = System.nanoTime();
    across.answer("SELECT 'holder-stopped'");
    awaitReconnected(survivor, connectsBefore, stopping, stopped, "SIGTERM");
    across.answer("SELECT 'after-sigterm'");
    changeReachesTheAgentAndNewSessionsWork(survivor, "after-sigterm");

    // SIGKILL: the replica holding the stream now vanishes without a word
    replicas[holder].start();
    int killed = survivor;
    survivor = holder;
    assertThat(awaitHolder()).isEqualTo(killed);
    connectsBefore = connects(survivor);
    long killing = System.nanoTime();
    replicas[killed].kill();
    long dead = System.nanoTime();
    across.answer("SELECT 'holder-killed'");
    awaitReconnected(survivor, connectsBefore, killing, dead, "SIGKILL");
    across.answer("SELECT 'after-sigkill'");
    changeReachesTheAgentAndNewSessionsWork(survivor, "after-sigkill");

    across.close();
  }

  /** Waits until the agent is connected again, through the survivor, and reports how long. */
  static void awaitReconnected(
      int survivor, long connectsBefore, long signalled, long exited, String how) {
    await()
        .atMost(RECONNECT_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(connects(survivor)).isGreaterThan(connectsBefore);
              assertThat(readiness().get("controlPlane").asText()).isEqualTo("connected");
            });
    long now = System.nanoTime();
    System.out.printf(
        "Control-plane failover (%s): replica exited %d ms after the signal; agent connected to"
            + " the other %d ms after the signal (%d ms after the exit)%n",
        how,
        (exited - signalled) / 1_000_000,
        (now - signalled) / 1_000_000,
        (now - exited) / 1_000_000);
  }

  /** A connection created through the survivor gets a listener, and psql gets through it. */
  static void changeReachesTheAgentAndNewSessionsWork(int survivor, String name) throws Exception {
    long version = readiness().get("configVersion").asLong();
    int port = Ports.free();
    String id = connection(apis[survivor], name, port);
    awaitListener(name, port);
    assertThat(readiness().get("configVersion").asLong()).isGreaterThan(version);
    Psql.Run fresh =
        Psql.commands(
            shopPort,
            grant(apis[survivor], "new-" + name),
            List.of("SELECT 'new-session-" + name + "'"));
    assertThat(fresh.status()).as(fresh.out()).isZero();
    assertThat(fresh.out()).contains("new-session-" + name);
    Psql.Run other =
        Psql.commands(port, apis[survivor].grant(id, "on-" + name), List.of("SELECT 'on-new'"));
    assertThat(other.status()).as(other.out()).isZero();
    assertThat(other.out()).contains("on-new");
  }

  /**
   * The replica holding the agent's stream: the one whose log reported the agent connected last
   * (the agent holds one stream; lines start with the time of day).
   */
  static int awaitHolder() {
    int[] holder = new int[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(readiness().get("controlPlane").asText()).isEqualTo("connected");
              String last0 = lastConnect(0);
              String last1 = lastConnect(1);
              assertThat(last0 + last1).as("a replica reported the agent connected").isNotEmpty();
              holder[0] = last0.compareTo(last1) > 0 ? 0 : 1;
            });
    return holder[0];
  }

  /** The time of day the replica last logged the agent connected, or "" if never. */
  static String lastConnect(int replica) throws IOException {
    return lines(replica).stream()
        .filter(l -> CONNECTED.matcher(l).find())
        .reduce((a, b) -> b)
        .map(l -> l.substring(0, 12))
        .orElse("");
  }

  static long connects(int replica) throws IOException {
    return lines(replica).stream().filter(l -> CONNECTED.matcher(l).find()).count();
  }

  static List<String> lines(int replica) throws IOException {
    return Files.readAllLines(replicas[replica].log());
  }

  static JsonNode readiness() {
    return agent.readinessJson();
  }

  static void awaitListener(String name, int port) throws IOException {
    agent.awaitListening(Map.of(name, port), Duration.ofSeconds(30));
  }

  static String connection(WardApi api, String name, int port) throws IOException {
    return api.createConnection(
        ControlPlaneFixture.postgresConnection(name, port, upstream, "shop", "SHOP_DB_PASSWORD"));
  }

  static String grant(WardApi api, String actor) throws IOException {
    return api.grant(shopId, actor);
  }
}
