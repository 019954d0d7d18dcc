package dev.ward.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL 15 cluster with password authentication, started from Debian's binaries on a
 * free port of 127.0.0.1 and deleted again on {@link #close()}. Unlike the machine's server (trust
 * auth), it makes clients prove a password: SCRAM-SHA-256 by default, md5 or cleartext password for
 * the users that ask for it, and optionally TLS with a self-signed certificate.
 *
 * <p>PostgreSQL refuses to run as root, so when the JVM runs as root every server command runs as
 * the {@code postgres} OS user through {@code runuser}.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.builder().tls(true)
 *     .user("app", "s3cret", PostgresCluster.Auth.SCRAM_SHA_256).start()) {
 *   pg.createDatabase("shop", "app");
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {

  /** How a user proves its password; each becomes a pg_hba method. */
  public enum Auth {
    SCRAM_SHA_256("scram-sha-256"),
    MD5("md5"),
    PASSWORD("password");

    private final String hbaMethod;

    Auth(String hbaMethod) {
      this.hbaMethod = hbaMethod;
    }

    public String hbaMethod() {
      return hbaMethod;
    }
  }

  /** A login role the cluster is created with. */
  public record User(String name, String password, Auth auth) {}

  private static final String SUPERUSER = "postgres";
  private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path base;
  private final Path data;
  private final Path bin;
  private final int port;
  private final String superuserPassword;
  private final Path certificate;
  private final int maxConnections;
  private final boolean asRoot;
  private volatile boolean running;
  private Thread reaper;

  private PostgresCluster(Builder b, Path base, String superuserPassword) {
    this.base = base;
    this.data = base.resolve("data");
    this.bin = b.bin;
    this.port = b.port == 0 ? Ports.free() : b.port;
    this.superuserPassword = superuserPassword;
    this.certificate = b.tls ? base.resolve("server.crt") : null;
    this.maxConnections = b.maxConnections;
    this.asRoot = "root".equals(System.getProperty("user.name"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How to start a cluster. */
  public static final class Builder {
    private Path bin = DEFAULT_BIN;
    private int port;
    private boolean tls;
    private int maxConnections = 100;
    private Duration startTimeout = Duration.ofSeconds(60);
    private final List<User> users = new ArrayList<>();

    private Builder() {}

    /** The folder of initdb, pg_ctl and postgres; Debian's PostgreSQL 15 by default. */
    public Builder binaries(Path bin) {
      this.bin = bin;
      return this;
    }

    /** A fixed port; by default any free port of 127.0.0.1. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Turns on TLS ({@code ssl=on}) with a fresh self-signed certificate for localhost. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** The server's {@code max_connections}; 100 by default. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** Adds a login role that authenticates with the given method. */
    public Builder user(String name, String password, Auth auth) {
      users.add(new User(name, password, auth));
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Creates, configures and starts the cluster; returns once it accepts connections. */
    public PostgresCluster start() throws IOException {
      Path base = Files.createTempDirectory("ward-pg-");
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      PostgresCluster cluster = new PostgresCluster(this, base, HexFormat.of().formatHex(random));
      try {
        cluster.create(users);
        cluster.startServer(startTimeout);
        cluster.createUsers(users);
        return cluster;
      } catch (IOException | RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** "127.0.0.1:port", the form a Ward connection's target takes. */
  public String target() {
    return host() + ":" + port;
  }

  public String superuser() {
    return SUPERUSER;
  }

  public String superuserPassword() {
    return superuserPassword;
  }

  /** The server's self-signed certificate (PEM), when TLS is on; clients trust it directly. */
  public Optional<Path> certificate() {
    return Optional.ofNullable(certificate);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /** Where the server writes its log, for a failing test to show. */
  public Path log() {
    return base.resolve("server.log");
  }

  /** Runs SQL as the superuser in the given database. */
  public void execute(String database, String sql) throws SQLException {
    try (Connection c = superuserConnection(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Creates a database owned by the given role. */
  public void createDatabase(String name, String owner) throws SQLException {
    execute("postgres", "CREATE DATABASE " + quoteIdent(name) + " OWNER " + quoteIdent(owner));
  }

  /** A JDBC connection as the superuser (over TCP, with SCRAM). */
  public Connection superuserConnection(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", SUPERUSER);
    p.setProperty("password", superuserPassword);
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  private void create(List<User> users) throws IOException {
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", base.toString()), false);
    }
    Path pwfile = base.resolve("superuser.pw");
    Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", pwfile.toString()), false);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            SUPERUSER,
            "--pwfile=" + pwfile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync"),
        true);
    Files.delete(pwfile);
    StringBuilder conf = new StringBuilder("\n# Ward test cluster\n");
    conf.append("listen_addresses = '127.0.0.1'\n")
        .append("port = ")
        .append(port)
        .append('\n')
        .append("unix_socket_directories = '")
        .append(base)
        .append("'\n")
        .append("password_encryption = 'scram-sha-256'\n")
        .append("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        .append("max_connections = ")
        .append(maxConnections)
        .append("\nshared_buffers = 32MB\n");
    if (certificate != null) {
      writeCertificate();
      conf.append("ssl = on\nssl_cert_file = '")
          .append(certificate)
          .append("'\nssl_key_file = '")
          .append(base.resolve("server.key"))
          .append("'\n");
    }
    Files.writeString(
        data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    StringBuilder hba = new StringBuilder("local all all trust\n");
    for (User u : users) {
      if (u.auth() != Auth.SCRAM_SHA_256) {
        hba.append("host all ")
            .append(u.name())
            .append(" 127.0.0.1/32 ")
            .append(u.auth().hbaMethod())
            .append('\n');
      }
    }
    hba.append("host all all 127.0.0.1/32 scram-sha-256\n");
    Files.writeString(data.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
  }

  private void writeCertificate() throws IOException {
    Path key = base.resolve("server.key");
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            key.toString(),
            "-out",
            certificate.toString()),
        false);
    run(List.of("chmod", "600", key.toString()), false);
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", key.toString(), certificate.toString()), false);
    }
  }

  private void startServer(Duration timeout) throws IOException {
    running = true;
    reaper = new Thread(this::stopServer, "stop-postgres-" + port);
    Runtime.getRuntime().addShutdownHook(reaper);
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            log().toString(),
            "-w",
            "-t",
            String.valueOf(timeout.toSeconds()),
            "start"),
        true);
  }

  private void createUsers(List<User> users) throws IOException {
    try (Connection c = superuserConnection("postgres");
        Statement s = c.createStatement()) {
      for (User u : users) {
        // The stored verifier decides what md5 auth can do: an md5 role needs an md5 hash.
        s.execute(
            "SET password_encryption = '" + (u.auth() == Auth.MD5 ? "md5" : "scram-sha-256") + "'");
        s.execute(
            "CREATE ROLE "
                + quoteIdent(u.name())
                + " LOGIN PASSWORD '"
                + u.password().replace("'", "''")
                + "'");
      }
    } catch (SQLException e) {
      throw new IOException("Could not create the cluster's users: " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server as an operator restarting it would ({@code pg_ctl stop -m fast}): open
   * sessions are ended with FATAL 57P01 and the data is kept; {@link #startAgain()} brings it back
   * on the same port.
   */
  public synchronized void shutdown() throws IOException {
    if (!running) {
      throw new IllegalStateException("the cluster is not running");
    }
    pgCtl("-m", "fast", "-w", "-t", "30", "stop");
  }

  /** Starts the server again after {@link #shutdown()}; returns once it accepts connections. */
  public synchronized void startAgain() throws IOException {
    pgCtl("-l", log().toString(), "-w", "-t", "60", "start");
  }

  private void pgCtl(String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
    cmd.addAll(List.of(args));
    run(cmd, true);
  }

  private synchronized void stopServer() {
    if (!running) {
      return;
    }
    running = false;
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-m",
              "immediate",
              "-w",
              "-t",
              "30",
              "stop"),
          true);
    } catch (IOException e) {
      System.err.println("PostgreSQL test cluster did not stop cleanly: " + e.getMessage());
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    stopServer();
    if (reaper != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException ignored) {
        // the JVM is exiting; the hook stops the server
      }
    }
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + base + ": " + e.getMessage());
    }
  }

  private void run(List<String> command, boolean asServerUser) throws IOException {
    List<String> full = new ArrayList<>();
    if (asServerUser && asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("ward-pg-cmd-", ".log");
    try {
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .directory(base.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish in time");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed with code "
                + p.exitValue()
                + ": "
                + Files.readString(out)
                + (Files.exists(log()) ? "\nserver log:\n" + Files.readString(log()) : ""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
