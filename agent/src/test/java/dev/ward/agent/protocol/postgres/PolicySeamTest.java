package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.MaskingTally;
import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.ResultRow;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.MaskingEntry;
import dev.ward.proto.recording.v1.Statement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolicySeamTest {

  /** Blocks DROP and masks every column named email, keeping NULLs. */
  static final class NoDropsMaskedEmails implements SessionPolicy {
    @Override
    public Verdict inspect(Operation operation) {
      return operation.text().toUpperCase(Locale.ROOT).contains("DROP")
          ? Verdict.deny("no-drop", "dropping objects is not allowed on this connection")
          : Verdict.allow();
    }

    @Override
    public RowRewriter results(List<ResultColumn> columns) {
      int email = -1;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equals("email") && !columns.get(i).binary()) {
          email = i;
        }
      }
      if (email < 0) {
        return null;
      }
      int column = email;
      MaskingTally tally = new MaskingTally();
      return new RowRewriter() {
        @Override
        public int rewrite(ResultRow row) {
          if (row.isNull(column)) {
            return 0;
          }
          String value = row.text(column);
          row.setText(column, "***@" + value.substring(value.indexOf('@') + 1));
          tally.add("email-domain-only", "email", "keep-domain", 1);
          return 1;
        }

        @Override
        public List<MaskedCells> masked() {
          return tally.entries();
        }
      };
    }
  }

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward =
        ProxyHarness.start(b -> b, start -> new NoDropsMaskedEmails(), ListenerLimits.defaults());
    try (Connection c = ward.jdbc()) {
      c.createStatement()
          .execute(
              "CREATE TABLE IF NOT EXISTS people (id int, email text, note text);"
                  + " TRUNCATE people;"
                  + " INSERT INTO people VALUES (1, 'ada@example.com', 'first'),"
                  + " (2, NULL, 'second'), (3, 'grace@navy.mil', 'third')");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @Test
  void deniedSimpleQueryGetsInsufficientPrivilegeNamingTheRuleAndNeverRuns() throws Exception {
    try (Connection c = ward.jdbc(simple())) {
      assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE people"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("no-drop");
              });
      // the session stays in sync and the table still exists
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM people")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
    }
    Statement blocked =
        ward.recorder.statements().stream().filter(Statement::getBlocked).findFirst().orElseThrow();
    assertThat(blocked.getText()).isEqualTo("DROP TABLE people");
    assertThat(blocked.getSqlstate()).isEqualTo("42501");
    List<Event> events = ward.recorder.last().events();
    Event statement =
        events.stream()
            .filter(e -> e.hasStatement() && e.getStatement().getBlocked())
            .findFirst()
            .orElseThrow();
    Event next = events.get(events.indexOf(statement) + 1);
    assertThat(next.getSeq()).isEqualTo(statement.getSeq() + 1);
    assertThat(next.getGuardrail().getRule()).isEqualTo("no-drop");
    assertThat(next.getGuardrail().getAction()).isEqualTo("deny");
    assertThat(next.getGuardrail().getOperation()).isEqualTo("DROP TABLE people");
  }

  @Test
  void deniedExtendedQueryDiscardsUntilSyncAndTheSessionContinues() throws Exception {
    try (Connection c = ward.jdbc()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("DROP TABLE people")) {
        assertThatThrownBy(p::execute)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      c.rollback();
      try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM people WHERE id > ?")) {
        p.setInt(1, 0);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(3);
        }
      }
    }
  }

  @Test
  void maskedValuesReachTheClientRewrittenWithNullsKept() throws Exception {
    for (Properties mode : List.of(simple(), new Properties())) {
      try (Connection c = ward.jdbc(mode);
          ResultSet rs =
              c.createStatement().executeQuery("SELECT id, email, note FROM people ORDER BY id")) {
        rs.next();
        assertThat(rs.getString("email")).isEqualTo("***@example.com");
        assertThat(rs.getString("note")).isEqualTo("first");
        rs.next();
        assertThat(rs.getString("email")).isNull();
        rs.next();
        assertThat(rs.getString("email")).isEqualTo("***@navy.mil");
      }
    }
    assertThat(ward.recorder.sessions())
        .anySatisfy(s -> assertThat(s.end() == null ? 0 : s.end().getMaskedCount()).isEqualTo(2));
  }

  @Test
  void whatTheRewriterMaskedIsRecordedRightAfterTheStatementPointingAtIt() throws Exception {
    String query = "SELECT email FROM people ORDER BY id";
    try (Connection c = ward.jdbc();
        ResultSet rs = c.createStatement().executeQuery(query)) {
      while (rs.next()) {
        assertThat(rs.getString(1)).isIn(null, "***@example.com", "***@navy.mil");
      }
    }
    List<Event> events = ward.recorder.last().events();
    Event statement =
        events.stream()
            .filter(e -> e.hasStatement() && e.getStatement().getText().equals(query))
            .findFirst()
            .orElseThrow();
    Event next = events.get(events.indexOf(statement) + 1);
    assertThat(next.getMasking().getEventSeq()).isEqualTo(statement.getSeq());
    assertThat(next.getMasking().getEntriesList())
        .containsExactly(
            MaskingEntry.newBuilder()
                .setRule("email-domain-only")
                .setLocation("email")
                .setCount(2)
                .setStrategy("keep-domain")
                .build());
    assertThat(events.toString()).doesNotContain("ada@").doesNotContain("grace@");
  }

  @Test
  void namedStatementsExecutedWithoutDescribeAreMaskedToo() throws Exception {
    Properties p = new Properties();
    p.setProperty("prepareThreshold", "1");
    try (Connection c = ward.jdbc(p);
        PreparedStatement s = c.prepareStatement("SELECT email FROM people WHERE id = ?")) {
      for (int i = 0; i < 4; i++) {
        s.setInt(1, 1);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("***@example.com");
        }
      }
    }
  }

  private static Properties simple() {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    return p;
  }
}
