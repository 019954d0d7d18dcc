package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.protocol.InMemoryRecorder;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import dev.ward.proto.recording.v1.ApprovalEvent;
import dev.ward.proto.recording.v1.Event;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Statements held for approval in the agent: the client waits with a notice naming the request, the
 * statement runs once approved and is refused (naming who and why) when denied, timed out or
 * withdrawn; other sessions go on meanwhile; every step is recorded.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApprovalHoldTest {

  static final String POLICY =
      """
      {"schemaVersion": 1,
       "access": [{"id": "all", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
       "guardrails": {"sql": [
         {"id": "slow-updates", "operations": ["update"], "tables": ["held_slow"],
          "action": "hold", "approval": "quick"},
         {"id": "hold-updates", "operations": ["update", "delete"], "action": "hold",
          "approval": "dba", "reason": "Changes to accounts need a DBA."}
       ]},
       "approvals": [
         {"id": "dba", "approverGroups": ["dba"], "timeout": "PT60S", "maxTimeBox": "PT30M"},
         {"id": "quick", "approverGroups": ["dba"], "timeout": "PT1S"}
       ]}
      """;

  static final List<AgentMessage> sent = new CopyOnWriteArrayList<>();
  static ProxyHarness ward;
  static ApprovalDesk desk;

  @BeforeAll
  static void start() throws Exception {
    io.vertx.core.Vertx timers = io.vertx.core.Vertx.vertx();
    desk = new ApprovalDesk(timers, m -> sent.add(m));
    ConnectionPolicies policies = new ConnectionPolicies(new byte[32], desk);
    ConfigSnapshot snapshot =
        ConfigSnapshot.newBuilder()
            .setConsoleUrl("https://ward.test/")
            .addPolicies(Policy.newBuilder().setId("p").setName("held").setDocumentJson(POLICY))
            .addConnections(
                Connection.newBuilder()
                    .setId(ProxyHarness.CONNECTION_ID)
                    .setName(ProxyHarness.CONNECTION_NAME)
                    .setPolicyId("p"))
            .build();
    policies.apply(snapshot).toCompletableFuture().get(10, TimeUnit.SECONDS);
    desk.apply(snapshot).toCompletableFuture().get(10, TimeUnit.SECONDS);
    ward = ProxyHarness.start(b -> b, policies, ListenerLimits.defaults());
    ward.cluster.execute(
        SharedCluster.DATABASE,
        "DROP TABLE IF EXISTS held_accounts, held_slow;"
            + " CREATE TABLE held_accounts (id int PRIMARY KEY, balance int);"
            + " INSERT INTO held_accounts SELECT g, 100 FROM generate_series(1, 10) g;"
            + " CREATE TABLE held_slow (id int);"
            + " GRANT ALL ON held_accounts, held_slow TO PUBLIC");
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @Test
  void heldSimpleQueryWaitsWithNoticeAndRunsOnceApprovedWhileOtherSessionsGoOn() throws Exception {
    try (java.sql.Connection held = ward.jdbc(simple());
        java.sql.Connection other = ward.jdbc()) {
      Statement st = held.createStatement();
      CompletableFuture<Integer> update =
          CompletableFuture.supplyAsync(
              () ->
                  unchecked(
                      () -> st.executeUpdate("UPDATE held_accounts SET balance = 1 WHERE id = 1")));
      ApprovalRequest request = nextRequest("SET balance = 1 WHERE");
      assertThat(request.getOperation())
          .isEqualTo("UPDATE held_accounts SET balance = 1 WHERE id = 1");
      assertThat(request.getRule()).isEqualTo("hold-updates");
      assertThat(request.getApproverGroupsList()).containsExactly("dba");
      assertThat(request.getSubject()).isEqualTo("alice");
      assertThat(request.getActor()).isEqualTo("claude-code");
      assertThat(request.getConnectionName()).isEqualTo(ProxyHarness.CONNECTION_NAME);

      // another session is not held up
      try (ResultSet rs =
          other.createStatement().executeQuery("SELECT count(*) FROM held_accounts")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(10);
      }
      Thread.sleep(300);
      assertThat(update.isDone()).isFalse();

      desk.onDecision(decision(request, "approved").setDecidedBy("bob").build());
      assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      SQLWarning notice = st.getWarnings();
      assertThat(notice == null ? "" : notice.getMessage())
          .contains("Approval request " + request.getRequestId())
          .contains("https://ward.test/approvals/" + request.getRequestId());
      assertThat(approvalStates(ward.recorder.sessions()))
          .containsSubsequence("requested", "approved");
    }
  }

  @Test
  void denialNamesWhoAndWhyAndADecisionForAnotherOperationReleasesNothing() throws Exception {
    try (java.sql.Connection c = ward.jdbc()) {
      PreparedStatement ps =
          c.prepareStatement("UPDATE held_accounts SET balance = ? WHERE id = ?");
      ps.setInt(1, 5);
      ps.setInt(2, 2);
      CompletableFuture<Integer> update =
          CompletableFuture.supplyAsync(() -> unchecked(ps::executeUpdate));
      ApprovalRequest request = nextRequest("SET balance = $1");
      assertThat(request.getOperation()).contains("$1 = 5").contains("$2 = 2");

      desk.onDecision(
          decision(request, "approved")
              .setOperationHash("0".repeat(64))
              .setDecidedBy("mallory")
              .build());
      Thread.sleep(300);
      assertThat(update.isDone()).isFalse();

      desk.onDecision(
          decision(request, "denied")
              .setDecidedBy("bob@acme.test")
              .setReason("not during the freeze")
              .build());
      assertThatThrownBy(() -> update.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage())
                    .contains("denied by bob@acme.test")
                    .contains("not during the freeze");
              });
      // the session stays usable
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT balance FROM held_accounts WHERE id = 2")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(100);
      }
    }
  }

  @Test
  void heldStatementTimesOutWithAnError() throws Exception {
    try (java.sql.Connection c = ward.jdbc(simple())) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> c.createStatement().executeUpdate("UPDATE held_slow SET id = 1"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("timed out");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(withdrawnReasons()).contains("expired");
    }
  }

  @Test
  void cancelRequestWithdrawsTheHeldStatement() throws Exception {
    try (java.sql.Connection c = ward.jdbc()) {
      Statement st = c.createStatement();
      CompletableFuture<Integer> update =
          CompletableFuture.supplyAsync(
              () -> unchecked(() -> st.executeUpdate("DELETE FROM held_accounts WHERE id = 3")));
      ApprovalRequest request = nextRequest("id = 3");
      st.cancel();
      assertThatThrownBy(() -> update.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
      waitUntil(
          5,
          () ->
              sent.stream()
                  .anyMatch(
                      m ->
                          m.hasApprovalWithdrawn()
                              && m.getApprovalWithdrawn()
                                  .getRequestId()
                                  .equals(request.getRequestId())));
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM held_accounts")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(10);
      }
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void timeBoxLetsTheSameEngineersWritesThroughAndIsRecorded() throws Exception {
    try (java.sql.Connection c = ward.jdbc(simple())) {
      Statement st = c.createStatement();
      CompletableFuture<Integer> update =
          CompletableFuture.supplyAsync(
              () ->
                  unchecked(
                      () -> st.executeUpdate("UPDATE held_accounts SET balance = 7 WHERE id = 7")));
      ApprovalRequest request = nextRequest("SET balance = 7");
      long until = System.currentTimeMillis() + 60_000;
      desk.onDecision(
          decision(request, "approved")
              .setDecidedBy("bob")
              .setTimeBoxUntilUnixMillis(until)
              .build());
      assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      int requests = requestCount();
      assertThat(st.executeUpdate("UPDATE held_accounts SET balance = 8 WHERE id = 8"))
          .isEqualTo(1);
      assertThat(requestCount()).isEqualTo(requests);
      assertThat(approvalStates(List.of(ward.recorder.last()))).contains("time-box-used");
    }
  }

  // ---- helpers ----

  private static Properties simple() {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    return p;
  }

  /** The request for the first operation containing {@code text}, once it was sent. */
  private static ApprovalRequest nextRequest(String text) {
    waitUntil(10, () -> find(text) != null);
    return find(text);
  }

  private static ApprovalRequest find(String text) {
    return sent.stream()
        .filter(AgentMessage::hasApprovalRequest)
        .map(AgentMessage::getApprovalRequest)
        .filter(r -> r.getOperation().contains(text))
        .findFirst()
        .orElse(null);
  }

  private static synchronized int requestCount() {
    return (int) sent.stream().filter(AgentMessage::hasApprovalRequest).count();
  }

  private static List<String> withdrawnReasons() {
    return sent.stream()
        .filter(AgentMessage::hasApprovalWithdrawn)
        .map(m -> m.getApprovalWithdrawn().getReason())
        .toList();
  }

  private static ApprovalDecision.Builder decision(ApprovalRequest request, String outcome) {
    return ApprovalDecision.newBuilder()
        .setRequestId(request.getRequestId())
        .setOperationHash(request.getOperationHash())
        .setOutcome(outcome);
  }

  private static List<String> approvalStates(List<InMemoryRecorder.Session> sessions) {
    List<String> states = new ArrayList<>();
    for (InMemoryRecorder.Session s : sessions) {
      for (Event e : s.events()) {
        if (e.hasApproval()) {
          ApprovalEvent a = e.getApproval();
          states.add(a.getState());
        }
      }
    }
    return states;
  }

  private static void waitUntil(int seconds, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + seconds + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @FunctionalInterface
  interface SqlCall<T> {
    T call() throws SQLException;
  }

  private static <T> T unchecked(SqlCall<T> call) {
    try {
      return call.call();
    } catch (SQLException e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
