package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Load over real processes: 300 JDBC sessions open at the same time through one agent, each running
 * prepared queries for a bounded period, with no error of any kind, every answer right, and the
 * agent's resident memory (its /readyz {@code memory.rssBytes}) within a fixed bound and flat while
 * the load lasts. {@code make test} runs it for 15 s; {@code make bench} for five minutes ({@code
 * -Dward.load.duration=PT5M}, sessions {@code -Dward.load.sessions}).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LoadIT {

  static final int SESSIONS = RunFigures.number("ward.load.sessions", 300);
  static final Duration PERIOD = RunFigures.duration("ward.load.duration", Duration.ofSeconds(15));
  // every few seconds over a long run, twice a second over the short one
  static final Duration SAMPLE_EVERY =
      Duration.ofMillis(Math.clamp(PERIOD.toMillis() / 100, 500, 5_000));
  // the agent runs with -Xmx256m; the rest is metaspace, threads, Netty's direct buffers
  static final long RSS_BOUND = 768L << 20;
  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());

  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static int port;
  static String connectionId;

  @BeforeAll
  static void start() throws Exception {
    cp = new ControlPlaneFixture("load");
    upstream =
        ControlPlaneFixture.startUpstream(
            PostgresCluster.builder().maxConnections(SESSIONS + 20), UPSTREAM_PASSWORD, "shop");
    upstream.execute(
        "shop",
        "CREATE TABLE items (id int PRIMARY KEY, name text);"
            + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;"
            + " GRANT SELECT ON items TO app");
    port = Ports.free();
    connectionId =
        cp.createConnection(
            ControlPlaneFixture.postgresConnection(
                "shop", port, upstream, "shop", "SHOP_DB_PASSWORD"));
    agent = cp.startAgent(Map.of("SHOP_DB_PASSWORD", UPSTREAM_PASSWORD), Map.of("shop", port));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static JsonNode readiness() {
    return agent.readinessJson();
  }

  /** The agent's resident memory, once /readyz answers. */
  static long rss() {
    AtomicLong rss = new AtomicLong();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode bytes = readiness().at("/memory/rssBytes");
              assertThat(bytes.isNumber()).as("/readyz answered").isTrue();
              rss.set(bytes.asLong());
            });
    return rss.get();
  }

  @Test
  void threeHundredConcurrentSessionsRunWithoutAnErrorAndTheAgentsMemoryStaysBoundedAndFlat()
      throws Exception {
    String grant = cp.grant(connectionId, "load");
    Properties props = new Properties();
    props.setProperty("user", "ada");
    props.setProperty("password", grant);
    props.setProperty("sslmode", "verify-full");
    props.setProperty("sslrootcert", agent.dataDir().resolve("tls/ca.pem").toString());
    props.setProperty("connectTimeout", "60");
    props.setProperty("socketTimeout", "120");
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/shop";
    long rssBefore = rss();

    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong queries = new AtomicLong();
    CountDownLatch allOpen = new CountDownLatch(SESSIONS);
    // logins are staggered (TLS, grant check, upstream SCRAM); the load itself is not
    Semaphore logins = new Semaphore(16);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      int n = i;
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Connection c;
                      logins.acquire();
                      try {
                        c = DriverManager.getConnection(url, props);
                      } finally {
                        logins.release();
                      }
                      try (c;
                          PreparedStatement select =
                              c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                        allOpen.countDown();
                        assertThat(allOpen.await(180, TimeUnit.SECONDS)).isTrue();
                        long end = System.nanoTime() + PERIOD.toNanos();
                        for (int q = 0; System.nanoTime() < end; q++) {
                          int id = 1 + (n * 7 + q) % 1000;
                          select.setInt(1, id);
                          try (ResultSet rs = select.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo("item " + id);
                            assertThat(rs.next()).isFalse();
                          }
                          queries.incrementAndGet();
                          Thread.sleep(20);
                        }
                      }
                    } catch (Throwable e) {
                      errors.add(e);
                      allOpen.countDown();
                    }
                  }));
    }
    assertThat(allOpen.await(200, TimeUnit.SECONDS)).isTrue();
    long peakOpen = 0;
    long peakHeap = 0;
    MemoryTrend rss = new MemoryTrend(PERIOD);
    long start = System.nanoTime();
    long end = start + PERIOD.toNanos();
    int samples = 0;
    int unanswered = 0;
    while (System.nanoTime() < end) {
      samples++;
      // on a busy machine /readyz may miss its 3 s: that sample is lost, not the run
      JsonNode r = readiness();
      if (r.has("openSessions")) {
        peakOpen = Math.max(peakOpen, r.get("openSessions").asLong());
        rss.add(Duration.ofNanos(System.nanoTime() - start), r.at("/memory/rssBytes").asLong());
        peakHeap = Math.max(peakHeap, r.at("/memory/heapUsedBytes").asLong());
      } else {
        unanswered++;
      }
      Thread.sleep(SAMPLE_EVERY);
    }
    assertThat(unanswered).as("/readyz samples unanswered of %d", samples).isLessThan(samples / 4);
    long peakRss = rss.peak();
    for (Thread t : clients) {
      t.join(Duration.ofSeconds(120));
    }
    assertThat(errors).as("errors: %s", errors.stream().limit(3).toList()).isEmpty();
    assertThat(peakOpen).isEqualTo(SESSIONS);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode open = readiness().get("openSessions");
              assertThat(open).as("/readyz answered").isNotNull();
              assertThat(open.asLong()).isZero();
            });
    long rssAfter = rss();
    System.out.printf(
        "LoadIT: %d sessions, %d queries in %s, agent rss before %d MiB, peak %d MiB, after %d"
            + " MiB, peak heap %d MiB; %s%n",
        SESSIONS,
        queries.get(),
        PERIOD,
        rssBefore >> 20,
        peakRss >> 20,
        rssAfter >> 20,
        peakHeap >> 20,
        rss);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("sessions", SESSIONS);
    figures.put("durationSeconds", PERIOD.toSeconds());
    figures.put("queries", queries.get());
    figures.put("rssBeforeBytes", rssBefore);
    figures.put("rssPeakBytes", peakRss);
    figures.put("rssAfterBytes", rssAfter);
    figures.put("heapPeakBytes", peakHeap);
    figures.put("rssFirstWindowMedianBytes", rss.firstWindowMedian());
    figures.put("rssLastWindowMedianBytes", rss.lastWindowMedian());
    figures.put("warmUpSeconds", rss.warmUp().toMillis() / 1e3);
    figures.put("windowSeconds", rss.window().toMillis() / 1e3);
    figures.put("readinessUnanswered", unanswered);
    figures.put("rssSamples", rss.samples());
    RunFigures.write("load", figures);
    assertThat(queries.get()).isGreaterThan(SESSIONS * 10L);
    assertThat(peakRss).isPositive().isLessThan(RSS_BOUND);
    assertThat(rssAfter).isLessThan(RSS_BOUND);
    assertThat(rss.growth()).as("agent RSS growth under steady load: %s", rss).isLessThan(0.15);
  }
}
