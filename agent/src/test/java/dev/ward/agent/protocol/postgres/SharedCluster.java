package dev.ward.agent.protocol.postgres;

import dev.ward.stack.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One private PostgreSQL cluster (SCRAM, md5 and password users, TLS on) for all the proxy tests of
 * a test run; deleted when the JVM exits.
 */
final class SharedCluster {

  static final String SCRAM_USER = "ward_scram";
  static final String MD5_USER = "ward_md5";
  static final String PASSWORD_USER = "ward_plain";
  static final String PASSWORD = "upstream-Secret-1";
  static final String DATABASE = "shop";

  private static PostgresCluster cluster;

  private SharedCluster() {}

  static synchronized PostgresCluster get() {
    if (cluster == null) {
      try {
        PostgresCluster started =
            PostgresCluster.builder()
                .tls(true)
                .user(SCRAM_USER, PASSWORD, PostgresCluster.Auth.SCRAM_SHA_256)
                .user(MD5_USER, PASSWORD, PostgresCluster.Auth.MD5)
                .user(PASSWORD_USER, PASSWORD, PostgresCluster.Auth.PASSWORD)
                .start();
        started.createDatabase(DATABASE, SCRAM_USER);
        started.execute(DATABASE, "GRANT ALL ON SCHEMA public TO PUBLIC");
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        cluster = started;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return cluster;
  }
}
