package dev.ward.controlplane.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, trust auth, or WARD_TEST_PG_*) for
 * one Quarkus test run, dropped afterwards.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

  private static final String HOST = System.getenv().getOrDefault("WARD_TEST_PG_HOST", "127.0.0.1");
  private static final String PORT = System.getenv().getOrDefault("WARD_TEST_PG_PORT", "5432");
  private static final String USER = System.getenv().getOrDefault("WARD_TEST_PG_USER", "postgres");

  /** A master key for this test run only. */
  public static final String MASTER_KEY = randomKey();

  private String name;

  @Override
  public Map<String, String> start() {
    name = "ward_cp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    execute("CREATE DATABASE " + name);
    return Map.of(
        "ward.db.host", HOST,
        "ward.db.port", PORT,
        "ward.db.name", name,
        "quarkus.datasource.username", USER,
        "ward.bootstrap-token", TestTokens.BOOTSTRAP,
        "ward.master-key", MASTER_KEY);
  }

  @Override
  public void stop() {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  /** Runs one query on the test database and returns the first column of the first row. */
  public static Object queryOne(String database, String sql, Object... params) {
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, "")) {
      var statement = c.prepareStatement(sql);
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      var rows = statement.executeQuery();
      return rows.next() ? rows.getObject(1) : null;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void execute(String sql) {
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "")) {
      c.createStatement().execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(
          "The control-plane tests need PostgreSQL on " + HOST + ":" + PORT + ": " + e.getMessage(),
          e);
    }
  }
}
