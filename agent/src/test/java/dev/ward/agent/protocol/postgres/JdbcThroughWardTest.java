package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.proto.recording.v1.Statement;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdbcThroughWardTest {

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward = ProxyHarness.start();
    try (Connection c = ward.jdbc()) {
      c.createStatement()
          .execute(
              "DROP TABLE IF EXISTS items; CREATE TABLE items (id int primary key, name text,"
                  + " price numeric, data bytea)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @Test
  void preparedStatementsAndBatchesRunWithTheirParametersRecorded() throws Exception {
    try (Connection c = ward.jdbc()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 50; i++) {
          insert.setInt(1, 1000 + i);
          insert.setString(2, "item " + i);
          insert.setBigDecimal(3, new java.math.BigDecimal(i + ".50"));
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        assertThat(counts).hasSize(50).containsOnly(1);
      }
      c.commit();
      try (PreparedStatement select =
          c.prepareStatement("SELECT name FROM items WHERE id = ? AND name LIKE ?")) {
        for (int i = 0; i < 8; i++) {
          // past prepareThreshold (5) the driver switches to a named server-side statement
          select.setInt(1, 1007);
          select.setString(2, "item%");
          try (ResultSet rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("item 7");
          }
        }
      }
      c.commit();
    }
    Statement recorded = lastStatement("SELECT name FROM items WHERE id = $1 AND name LIKE $2");
    assertThat(recorded.getParametersList()).containsExactly("1007", "item%");
    assertThat(recorded.getColumnsList()).extracting(col -> col.getName()).containsExactly("name");
    assertThat(recorded.getColumns(0).getTypeOid()).isEqualTo(25);
    assertThat(recorded.getRowCount()).isEqualTo(1);
    assertThat(recorded.getCommandTag()).isEqualTo("SELECT 1");
    assertThat(recorded.getProtocolMode()).isEqualTo("extended");
    assertThat(recorded.getTransactionStatus()).isEqualTo("T");
  }

  @Test
  void binaryTransferAndByteaRoundTrip() throws Exception {
    Properties binary = new Properties();
    binary.setProperty("binaryTransfer", "true");
    binary.setProperty("prepareThreshold", "1");
    byte[] data = new byte[] {0, 1, 2, (byte) 0xff, 42};
    try (Connection c = ward.jdbc(binary)) {
      try (PreparedStatement p =
          c.prepareStatement("INSERT INTO items (id, name, data) VALUES (?, ?, ?)")) {
        p.setInt(1, 2001);
        p.setString(2, "binary");
        p.setBytes(3, data);
        p.executeUpdate();
      }
      for (int i = 0; i < 3; i++) {
        try (PreparedStatement p =
            c.prepareStatement("SELECT id, data, now() FROM items WHERE id = ?")) {
          p.setInt(1, 2001);
          try (ResultSet rs = p.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2001);
            assertThat(rs.getBytes(2)).isEqualTo(data);
            assertThat(rs.getTimestamp(3)).isNotNull();
          }
        }
      }
    }
  }

  @Test
  void copyInAndOutThroughCopyManager() throws Exception {
    try (Connection c = ward.jdbc()) {
      c.createStatement().execute("CREATE TEMP TABLE staging (id int, note text)");
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder csv = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        csv.append(i).append(",note ").append(i).append('\n');
      }
      long in =
          copy.copyIn(
              "COPY staging FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
      assertThat(in).isEqualTo(1000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long outRows =
          copy.copyOut("COPY (SELECT * FROM staging ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
      assertThat(outRows).isEqualTo(1000);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(csv.toString());
    }
    assertThat(ward.recorder.statements())
        .anySatisfy(
            s -> {
              assertThat(s.getText()).startsWith("COPY staging FROM STDIN");
              assertThat(s.getProtocolMode()).isEqualTo("copy-in");
              assertThat(s.getCommandTag()).isEqualTo("COPY 1000");
            });
  }

  @Test
  void listenNotifyDeliversNotificationsAcrossSessions() throws Exception {
    try (Connection listener = ward.jdbc();
        Connection notifier = ward.jdbc()) {
      listener.createStatement().execute("LISTEN ward_events");
      notifier.createStatement().execute("NOTIFY ward_events, 'hello'");
      PGNotification[] got = null;
      for (int i = 0; i < 50 && (got == null || got.length == 0); i++) {
        got = listener.unwrap(PGConnection.class).getNotifications(200);
      }
      assertThat(got).isNotNull();
      assertThat(Arrays.stream(got).map(PGNotification::getParameter)).containsExactly("hello");
    }
  }

  @Test
  void statementCancelReachesTheUpstreamBackend() throws Exception {
    try (Connection c = ward.jdbc()) {
      java.sql.Statement s = c.createStatement();
      CompletableFuture<Void> cancel =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(500);
                  s.cancel();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long started = System.nanoTime();
      assertThatThrownBy(() -> s.execute("SELECT pg_sleep(30)"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
      cancel.get(10, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
      // the session is still usable after the cancel
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void rowsLargerThanAMegabyteArriveWhole() throws Exception {
    try (Connection c = ward.jdbc()) {
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT repeat('x', 3 * 1024 * 1024), g FROM generate_series(1, 3) g")) {
        int rows = 0;
        while (rs.next()) {
          assertThat(rs.getString(1)).hasSize(3 * 1024 * 1024);
          rows++;
        }
        assertThat(rows).isEqualTo(3);
      }
      try (PreparedStatement p = c.prepareStatement("SELECT length(?::text)")) {
        p.setString(1, "y".repeat(2 * 1024 * 1024));
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(2 * 1024 * 1024);
        }
      }
    }
  }

  @Test
  void errorsAreRecordedWithTheirSqlstateAndTheSessionRecovers() throws Exception {
    try (Connection c = ward.jdbc()) {
      assertThatThrownBy(() -> c.createStatement().execute("SELECT * FROM no_such_table"))
          .isInstanceOf(SQLException.class);
      try (ResultSet rs = c.createStatement().executeQuery("SELECT 2")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
    assertThat(ward.recorder.statements())
        .anySatisfy(
            s -> {
              assertThat(s.getText()).isEqualTo("SELECT * FROM no_such_table");
              assertThat(s.getSqlstate()).isEqualTo("42P01");
              assertThat(s.getErrorMessage()).contains("no_such_table");
            });
  }

  @Test
  void transactionStatusFollowsReadyForQuery() throws Exception {
    try (Connection c = ward.jdbc()) {
      c.setAutoCommit(false);
      c.createStatement().execute("SELECT 'in-tx-marker'");
      assertThatThrownBy(() -> c.createStatement().execute("SELECT 1/0"))
          .isInstanceOf(SQLException.class);
      c.rollback();
    }
    Statement inTx = lastStatement("SELECT 'in-tx-marker'");
    assertThat(inTx.getTransactionStatus()).isEqualTo("T");
    Statement failed = lastStatement("SELECT 1/0");
    assertThat(failed.getTransactionStatus()).isEqualTo("E");
    assertThat(failed.getSqlstate()).isEqualTo("22012");
  }

  private static Statement lastStatement(String text) {
    return ward.recorder.statements().stream()
        .filter(s -> s.getText().equals(text))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no recorded statement " + text));
  }
}
