package dev.ward.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.SessionNotice;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionNoticesTest {

  /** A channel that is up or down as the test says and keeps what it was sent. */
  private static final class FakeChannel implements SessionNotices.Upstream {
    boolean up = true;
    final List<SessionNotice> sent = new ArrayList<>();

    @Override
    public boolean send(AgentMessage message) {
      if (up) {
        sent.add(message.getSession());
      }
      return up;
    }
  }

  /** A recorder that remembers only what the decorator must pass through. */
  private static final class CountingRecorder implements SessionRecorder {
    final List<Event> appended = new ArrayList<>();
    final List<SessionEnd> ended = new ArrayList<>();

    @Override
    public RecordedSession open(SessionStart start, boolean strict) {
      return new RecordedSession() {
        @Override
        public String sessionId() {
          return start.getSessionId();
        }

        @Override
        public long append(Event.Builder event) {
          appended.add(event.build());
          return appended.size() + 1;
        }

        @Override
        public void close(SessionEnd end) {
          ended.add(end);
        }
      };
    }
  }

  private final FakeChannel channel = new FakeChannel();
  private final CountingRecorder recorder = new CountingRecorder();
  private long now = 1_000;

  private SessionNotices notices(int queueLimit) {
    return new SessionNotices(recorder, channel, queueLimit, () -> now);
  }

  private static SessionStart start(String sessionId) {
    return SessionStart.newBuilder()
        .setSessionId(sessionId)
        .setTenantId("t-1")
        .setConnectionId("c-1")
        .setPolicyVersion(7)
        .setIdentity(
            Identity.newBuilder()
                .setSubject("alice")
                .setEmail("alice@example.com")
                .setActor("claude-code")
                .setWorkSessionId("ws-1"))
        .build();
  }

  private static Event.Builder statement(String text) {
    return Event.newBuilder().setStatement(Statement.newBuilder().setText(text));
  }

  private static SessionEnd end(String reason) {
    return SessionEnd.newBuilder()
        .setReason(reason)
        .setStatementCount(2)
        .setMaskedCount(1)
        .setBlockedCount(0)
        .build();
  }

  @Test
  void openingAndClosingASessionSendsStartedThenEndedWithCountsAndText() throws Exception {
    SessionNotices notices = notices(10);
    RecordedSession session = notices.open(start("s-1"), false);
    now = 5_000;
    session.append(statement("SELECT 1"));
    session.append(statement("SELECT email FROM users"));
    session.close(end("normal"));

    assertEquals(2, channel.sent.size());
    SessionNotice started = channel.sent.get(0);
    assertEquals("started", started.getState());
    assertEquals("s-1", started.getSessionId());
    assertEquals("ws-1", started.getWorkSessionId());
    assertEquals("c-1", started.getConnectionId());
    assertEquals("alice", started.getSubject());
    assertEquals("alice@example.com", started.getEmail());
    assertEquals("claude-code", started.getActor());
    assertEquals(1_000, started.getStartedUnixMillis());
    assertEquals(7, started.getPolicyVersion());
    assertEquals("tenants/t-1/sessions/s-1/", started.getRecordingPrefix());

    SessionNotice ended = channel.sent.get(1);
    assertEquals("ended", ended.getState());
    assertEquals(1_000, ended.getStartedUnixMillis());
    assertEquals(5_000, ended.getEndedUnixMillis());
    assertEquals(2, ended.getStatementCount());
    assertEquals(1, ended.getMaskedCount());
    assertEquals("SELECT 1\nSELECT email FROM users", ended.getSearchText());
  }

  @Test
  void theRecorderStillGetsEveryEventAndTheEnd() throws Exception {
    RecordedSession session = notices(10).open(start("s-1"), true);
    session.append(statement("SELECT 1"));
    session.close(end("normal"));
    assertEquals(1, recorder.appended.size());
    assertEquals(List.of(end("normal")), recorder.ended);
  }

  @Test
  void closingTwiceSendsOneEndedNotice() throws Exception {
    RecordedSession session = notices(10).open(start("s-1"), false);
    session.close(end("normal"));
    session.close(end("normal"));
    assertEquals(2, channel.sent.size());
  }

  @Test
  void aSessionTheAgentEndsItselfIsReportedAsInterrupted() throws Exception {
    RecordedSession session = notices(10).open(start("s-1"), false);
    session.close(end("agent-shutdown"));
    assertEquals("interrupted", channel.sent.get(1).getState());
  }

  @Test
  void searchTextStopsAtItsLimit() throws Exception {
    RecordedSession session = notices(10).open(start("s-1"), false);
    String longStatement = "SELECT '" + "x".repeat(3000) + "'";
    session.append(statement(longStatement));
    session.append(statement(longStatement));
    session.append(statement(longStatement));
    session.close(end("normal"));
    String text = channel.sent.get(1).getSearchText();
    assertEquals(SessionNotices.SEARCH_TEXT_LIMIT, text.length());
    assertTrue(text.startsWith("SELECT 'xxx"));
  }

  @Test
  void noticesWaitWhileTheControlPlaneIsAwayAndGoOutInOrderOnFlush() throws Exception {
    SessionNotices notices = notices(10);
    channel.up = false;
    notices.open(start("s-1"), false).close(end("normal"));
    notices.open(start("s-2"), false);
    assertEquals(3, notices.queued());
    assertTrue(channel.sent.isEmpty());

    channel.up = true;
    notices.flush();
    assertEquals(0, notices.queued());
    assertEquals(
        List.of("s-1/started", "s-1/ended", "s-2/started"),
        channel.sent.stream().map(n -> n.getSessionId() + "/" + n.getState()).toList());
  }

  @Test
  void aNewNoticeGoesOutAfterTheOnesThatWaited() throws Exception {
    SessionNotices notices = notices(10);
    channel.up = false;
    notices.open(start("s-1"), false);
    channel.up = true;
    notices.open(start("s-2"), false);
    assertEquals(
        List.of("s-1", "s-2"), channel.sent.stream().map(SessionNotice::getSessionId).toList());
  }

  @Test
  void aFullQueueDropsTheOldestNotice() throws Exception {
    SessionNotices notices = notices(2);
    channel.up = false;
    notices.open(start("s-1"), false);
    notices.open(start("s-2"), false);
    notices.open(start("s-3"), false);
    assertEquals(2, notices.queued());
    channel.up = true;
    notices.flush();
    assertEquals(
        List.of("s-2", "s-3"), channel.sent.stream().map(SessionNotice::getSessionId).toList());
  }
}
