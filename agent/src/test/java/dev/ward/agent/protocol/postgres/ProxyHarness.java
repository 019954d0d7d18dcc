package dev.ward.agent.protocol.postgres;

import dev.ward.agent.identity.DevGrantSigner;
import dev.ward.agent.identity.GrantVerifier;
import dev.ward.agent.protocol.InMemoryRecorder;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.agent.protocol.SessionPolicies;
import dev.ward.agent.tls.AgentTls;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.stack.PostgresCluster;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A Ward PostgreSQL listener in front of the shared test cluster, with grants and a CA. */
final class ProxyHarness implements AutoCloseable {

  static final String CONNECTION_ID = "conn-shop";
  static final String CONNECTION_NAME = "shop-db";
  static final String TENANT = "tenant-acme";

  final Vertx vertx = Vertx.vertx();
  final PostgresCluster cluster = SharedCluster.get();
  final DevGrantSigner signer = new DevGrantSigner("k1", "https://ward.test/acme", TENANT);
  final GrantVerifier verifier;
  final InMemoryRecorder recorder = new InMemoryRecorder();
  final Path dir;
  final AgentTls tls;
  final Path caFile;
  final ProtocolListener listener;
  final int port;

  /** Whether the listener sees its control plane as reachable; tests take it away. */
  final java.util.concurrent.atomic.AtomicBoolean controlPlaneReachable =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  private ProxyHarness(
      UnaryOperator<Connection.Builder> connection, SessionPolicies policies, ListenerLimits limits)
      throws Exception {
    dir = Files.createTempDirectory("ward-proxy-test");
    tls =
        AgentTls.loadOrCreate(
            dir, List.of(), dev.ward.agent.keys.KeySeal.fromAgentToken("wagt_proxy-harness-token"));
    caFile = dir.resolve("ward-ca.pem");
    tls.exportCa(caFile);
    Path secret = dir.resolve("upstream.secret");
    Files.writeString(secret, SharedCluster.PASSWORD + "\n", StandardCharsets.UTF_8);
    Connection c =
        connection
            .apply(
                Connection.newBuilder()
                    .setId(CONNECTION_ID)
                    .setName(CONNECTION_NAME)
                    .setKind("postgres")
                    .setListenHost("127.0.0.1")
                    .setListenPort(0)
                    .setTarget(cluster.target())
                    .setDatabase(SharedCluster.DATABASE)
                    .setUsername(SharedCluster.SCRAM_USER)
                    .setSecretRef("file:" + secret)
                    .setUpstreamTls("disable")
                    .setRecordingMode("best-effort"))
            .build();
    verifier =
        GrantVerifier.of(
            ConfigSnapshot.newBuilder()
                .setTenantId(TENANT)
                .addGrantKeys(signer.grantKey())
                .addConnections(c)
                .build());
    ListenerContext context =
        new ListenerContext(
            vertx,
            c,
            verifier,
            recorder,
            tls,
            "agent-1",
            TENANT,
            7,
            policies,
            limits,
            controlPlaneReachable::get);
    listener = ProtocolListenerFactory.forKind("postgres").orElseThrow().create(context);
    port = listener.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static ProxyHarness start() throws Exception {
    return new ProxyHarness(b -> b, SessionPolicies.passThrough(), ListenerLimits.defaults());
  }

  static ProxyHarness start(UnaryOperator<Connection.Builder> connection) throws Exception {
    return new ProxyHarness(connection, SessionPolicies.passThrough(), ListenerLimits.defaults());
  }

  static ProxyHarness start(
      UnaryOperator<Connection.Builder> connection, SessionPolicies policies, ListenerLimits limits)
      throws Exception {
    return new ProxyHarness(connection, policies, limits);
  }

  /** A fresh grant for the engineer alice, acting through claude-code. */
  String grant() {
    return signer
        .grant(CONNECTION_ID, "alice")
        .email("alice@acme.test")
        .group("engineering")
        .actor("claude-code")
        .workSession("run-42")
        .sign();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/whatever";
  }

  Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", "alice");
    p.setProperty("password", grant());
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", caFile.toString());
    p.setProperty("ApplicationName", "ward-test");
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    return p;
  }

  java.sql.Connection jdbc() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), jdbcProperties());
  }

  java.sql.Connection jdbc(Properties extra) throws SQLException {
    Properties p = jdbcProperties();
    p.putAll(extra);
    return DriverManager.getConnection(jdbcUrl(), p);
  }

  /** libpq connection string through the agent. */
  String conninfo(String sslmode) {
    return "host=127.0.0.1 port="
        + port
        + " dbname=whatever user=alice sslmode="
        + sslmode
        + (sslmode.startsWith("verify") ? " sslrootcert=" + caFile : "");
  }

  /** What a client process printed and how it exited. */
  record Run(int exitCode, String output) {}

  /** Runs a PostgreSQL client program (psql, pgbench) with the grant as PGPASSWORD. */
  Run run(String password, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    Path out = Files.createTempFile(dir, "client", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("PGPASSWORD", password);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException(cmd.get(0) + " did not finish: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  Run psql(String sslmode, String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", conninfo(sslmode)));
    cmd.addAll(List.of(args));
    return run(grant(), cmd.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    listener.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
