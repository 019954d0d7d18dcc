package dev.ward.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A PostgreSQL server that is already running (the machine's, on 127.0.0.1:5432 with trust auth).
 * Tests get a fresh database of their own and drop it afterwards.
 */
public final class LocalPostgres {

  private final String host;
  private final int port;
  private final String user;

  public LocalPostgres(String host, int port, String user) {
    this.host = host;
    this.port = port;
    this.user = user;
  }

  /** The machine's server, or the one named by WARD_TEST_PG_HOST / _PORT / _USER. */
  public static LocalPostgres fromEnvironment() {
    return new LocalPostgres(
        System.getenv().getOrDefault("WARD_TEST_PG_HOST", "127.0.0.1"),
        Integer.parseInt(System.getenv().getOrDefault("WARD_TEST_PG_PORT", "5432")),
        System.getenv().getOrDefault("WARD_TEST_PG_USER", "postgres"));
  }

  /** Creates a new, empty database with a unique name. */
  public Database createDatabase(String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = admin()) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    return new Database(host, port, name, user, "");
  }

  /** Drops a database made by {@link #createDatabase}, closing its open connections. */
  public void dropDatabase(Database db) throws SQLException {
    try (Connection c = admin()) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
    }
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
  }
}
