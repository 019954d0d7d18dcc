package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.protocol.InMemoryRecorder;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.GuardrailDecision;
import dev.ward.proto.recording.v1.MaskingEntry;
import dev.ward.proto.recording.v1.MaskingManifest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real policy engine with Ward's default policy behind the proxy, as an agent runs it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DefaultPolicyRecordingTest {

  /** An AWS access key id (not AWS's documentation example, which masking leaves alone). */
  static final String SECRET = "AKIAQ3T7ZK2MX5VB4NRL";

  static final String OTHER_SECRET = "AKIAZ7MQ4RT2NX6KB3WP";
  static final String SELECT = "SELECT id, owner, access_key FROM cloud_credentials ORDER BY id";

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward =
        ProxyHarness.start(b -> b, new ConnectionPolicies(new byte[32]), ListenerLimits.defaults());
    // straight into the cluster, so no statement the agent records ever held the secrets
    ward.cluster.execute(
        SharedCluster.DATABASE,
        "DROP TABLE IF EXISTS cloud_credentials;"
            + " CREATE TABLE cloud_credentials (id int, owner text, access_key text);"
            + " INSERT INTO cloud_credentials VALUES (1, 'ci', '"
            + SECRET
            + "'), (2, 'backup', NULL), (3, 'deploy', '"
            + OTHER_SECRET
            + "');"
            + " GRANT SELECT ON cloud_credentials TO PUBLIC");
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @Test
  void maskingManifestPointsAtTheStatementAndCountsTheMaskedCellsOfEachColumn() throws Exception {
    for (Properties mode : List.of(simple(), new Properties())) {
      try (Connection c = ward.jdbc(mode);
          ResultSet rs = c.createStatement().executeQuery(SELECT)) {
        while (rs.next()) {
          assertThat(rs.getString("access_key")).isIn(null, "[REDACTED:aws-access-key]");
        }
      }
      InMemoryRecorder.Session session = ward.recorder.last();
      Event statement = statementEvent(session, SELECT);
      MaskingManifest manifest = eventAfter(session, statement).getMasking();
      assertThat(manifest.getEventSeq()).isEqualTo(statement.getSeq());
      assertThat(manifest.getEntriesList())
          .containsExactly(
              MaskingEntry.newBuilder()
                  .setRule("aws-access-key")
                  .setLocation("access_key")
                  .setCount(2)
                  .setStrategy("redact")
                  .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (session.end() == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(session.end().getMaskedCount()).isEqualTo(2);
      // the replay's sample rows are the rows as the client saw them: masked, NULL kept
      assertThat(statement.getStatement().getSampleRowsList())
          .extracting(r -> r.getValues(2), r -> r.getNulls(2))
          .containsExactly(
              tuple("[REDACTED:aws-access-key]", false),
              tuple("", true),
              tuple("[REDACTED:aws-access-key]", false));
      assertThat(statement.getStatement().getSampleRows(0).getValues(1)).isEqualTo("ci");
    }
  }

  @Test
  void everyResultSetOfASimpleQueryCountsTowardsItsOneManifest() throws Exception {
    String twice =
        "SELECT access_key FROM cloud_credentials; SELECT access_key AS again FROM"
            + " cloud_credentials WHERE id = 1";
    try (Connection c = ward.jdbc(simple())) {
      c.createStatement().execute(twice);
    }
    InMemoryRecorder.Session session = ward.recorder.last();
    Event statement = statementEvent(session, twice);
    MaskingManifest manifest = eventAfter(session, statement).getMasking();
    assertThat(manifest.getEventSeq()).isEqualTo(statement.getSeq());
    assertThat(manifest.getEntriesList())
        .extracting(MaskingEntry::getLocation, MaskingEntry::getCount)
        .containsExactly(tuple("access_key", 2), tuple("again", 1));
  }

  @Test
  void statementsThatMaskNothingGetNoManifest() throws Exception {
    String ids = "SELECT id, owner FROM cloud_credentials";
    try (Connection c = ward.jdbc();
        ResultSet rs = c.createStatement().executeQuery(ids)) {
      while (rs.next()) {
        assertThat(rs.getString("owner")).isNotEmpty();
      }
    }
    assertThat(ward.recorder.last().events()).noneMatch(Event::hasMasking);
  }

  @Test
  void maskedValueNeverReachesTheRecording() throws Exception {
    try (Connection c = ward.jdbc();
        PreparedStatement p =
            c.prepareStatement("SELECT access_key, owner FROM cloud_credentials WHERE id = ?")) {
      p.setInt(1, 1);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("[REDACTED:aws-access-key]");
      }
    }
    try (Connection c = ward.jdbc(simple());
        ResultSet rs = c.createStatement().executeQuery(SELECT)) {
      while (rs.next()) {
        assertThat(String.valueOf(rs.getString("access_key"))).doesNotContain("AKIA");
      }
    }
    assertThat(ward.recorder.sessions()).isNotEmpty();
    for (InMemoryRecorder.Session s : ward.recorder.sessions()) {
      assertThat(s.start().toString()).doesNotContain("AKIA");
      for (Event e : s.events()) {
        assertThat(e.toString()).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
        assertThat(new String(e.toByteArray(), StandardCharsets.ISO_8859_1))
            .doesNotContain(SECRET)
            .doesNotContain(OTHER_SECRET);
      }
    }
  }

  @Test
  void deniedStatementIsFollowedByItsGuardrailDecision() throws Exception {
    for (Properties mode : List.of(simple(), new Properties())) {
      try (Connection c = ward.jdbc(mode)) {
        assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE cloud_credentials"))
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      InMemoryRecorder.Session session = ward.recorder.last();
      Event statement = statementEvent(session, "DROP TABLE cloud_credentials");
      assertThat(statement.getStatement().getBlocked()).isTrue();
      assertThat(eventAfter(session, statement).getGuardrail())
          .isEqualTo(
              GuardrailDecision.newBuilder()
                  .setRule("no-drop-or-truncate")
                  .setAction("deny")
                  .setReason("Dropping or truncating tables is not allowed through Ward.")
                  .setOperation("DROP TABLE cloud_credentials")
                  .build());
      assertThat(session.events().stream().filter(Event::hasGuardrail)).hasSize(1);
    }
  }

  private static Event statementEvent(InMemoryRecorder.Session session, String text) {
    return session.events().stream()
        .filter(e -> e.hasStatement() && e.getStatement().getText().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + text + " in " + session.events()));
  }

  private static Event eventAfter(InMemoryRecorder.Session session, Event event) {
    return session.events().stream()
        .filter(e -> e.getSeq() == event.getSeq() + 1)
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing after event " + event.getSeq()));
  }

  private static Properties simple() {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    return p;
  }
}
