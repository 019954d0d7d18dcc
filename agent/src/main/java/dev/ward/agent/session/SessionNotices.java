package dev.ward.agent.session;

import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.SessionNotice;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Tells the control plane about every session the wrapped recorder opens and closes, so its session
 * index can list and search them. Notices that cannot be sent while the control plane is away wait
 * in a bounded queue (the oldest is dropped first) and go out on the next {@link #flush()} or
 * notice once the channel is back. Recording itself never waits for the channel.
 */
public final class SessionNotices implements SessionRecorder {

  /** Where notices go; {@code ControlPlaneChannel::send} fits. */
  @FunctionalInterface
  public interface Upstream {
    /** Sends the message if the channel is open; returns whether it was sent. */
    boolean send(AgentMessage message);
  }

  /** Upper bound of the searchable text of one session, in characters. */
  public static final int SEARCH_TEXT_LIMIT = 4096;

  /** How many notices wait for the control plane by default. */
  public static final int DEFAULT_QUEUE_LIMIT = 10_000;

  private static final Logger LOG = System.getLogger(SessionNotices.class.getName());

  private final SessionRecorder recorder;
  private final Upstream upstream;
  private final int queueLimit;
  private final LongSupplier clock;
  private final ArrayDeque<AgentMessage> queue = new ArrayDeque<>();
  private long dropped;

  public SessionNotices(
      SessionRecorder recorder, Upstream upstream, int queueLimit, LongSupplier clock) {
    if (queueLimit < 1) {
      throw new IllegalArgumentException("queueLimit must be at least 1");
    }
    this.recorder = recorder;
    this.upstream = upstream;
    this.queueLimit = queueLimit;
    this.clock = clock;
  }

  public SessionNotices(SessionRecorder recorder, Upstream upstream) {
    this(recorder, upstream, DEFAULT_QUEUE_LIMIT, System::currentTimeMillis);
  }

  /** The object-store key prefix of a session's recording. */
  public static String recordingPrefix(String tenantId, String sessionId) {
    return "tenants/" + tenantId + "/sessions/" + sessionId + "/";
  }

  @Override
  public RecordedSession open(SessionStart start, boolean strict)
      throws RecordingUnavailableException {
    RecordedSession session = recorder.open(start, strict);
    SessionNotice.Builder base = base(start, session.sessionId(), clock.getAsLong());
    deliver(base.clone().setState("started").build());
    return new NoticedSession(session, base);
  }

  /** Sends what waits in the queue, in order, until the channel refuses one. */
  public synchronized void flush() {
    while (!queue.isEmpty()) {
      if (!trySend(queue.peekFirst())) {
        return;
      }
      queue.pollFirst();
    }
    if (dropped > 0) {
      LOG.log(
          Level.WARNING,
          "{0} session notices were dropped while the control plane was away; those sessions"
              + " are missing from its index but their recordings are complete",
          dropped);
      dropped = 0;
    }
  }

  /** How many notices wait for the control plane. */
  public synchronized int queued() {
    return queue.size();
  }

  private synchronized void deliver(SessionNotice notice) {
    AgentMessage message = AgentMessage.newBuilder().setSession(notice).build();
    flush();
    if (queue.isEmpty() && trySend(message)) {
      return;
    }
    if (queue.size() >= queueLimit) {
      queue.pollFirst();
      dropped++;
    }
    queue.addLast(message);
  }

  private boolean trySend(AgentMessage message) {
    try {
      return upstream.send(message);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "Session notice not sent: {0}", e.getMessage());
      return false;
    }
  }

  private static SessionNotice.Builder base(SessionStart start, String sessionId, long now) {
    return SessionNotice.newBuilder()
        .setSessionId(sessionId)
        .setWorkSessionId(start.getIdentity().getWorkSessionId())
        .setConnectionId(start.getConnectionId())
        .setSubject(start.getIdentity().getSubject())
        .setEmail(start.getIdentity().getEmail())
        .setActor(start.getIdentity().getActor())
        .setStartedUnixMillis(now)
        .setRecordingPrefix(recordingPrefix(start.getTenantId(), sessionId))
        .setPolicyVersion(start.getPolicyVersion());
  }

  /** Sessions the agent ends itself did not finish on their own. */
  static String stateOf(SessionEnd end) {
    return switch (end.getReason()) {
      case "agent-shutdown", "crash-recovered" -> "interrupted";
      default -> "ended";
    };
  }

  /** One open session: collects its searchable text and reports its end. */
  private final class NoticedSession implements RecordedSession {

    private final RecordedSession session;
    private final SessionNotice.Builder base;
    private final SearchText text = new SearchText(SEARCH_TEXT_LIMIT);
    private final AtomicBoolean closed = new AtomicBoolean();

    NoticedSession(RecordedSession session, SessionNotice.Builder base) {
      this.session = session;
      this.base = base;
    }

    @Override
    public String sessionId() {
      return session.sessionId();
    }

    @Override
    public long append(Event.Builder event) {
      if (event.hasStatement()) {
        text.add(event.getStatement().getText());
      } else if (event.hasExchange()) {
        text.add(event.getExchange().getMethod() + " " + event.getExchange().getPath());
      }
      return session.append(event);
    }

    @Override
    public void close(SessionEnd end) {
      session.close(end);
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      deliver(
          base.clone()
              .setState(stateOf(end))
              .setEndedUnixMillis(clock.getAsLong())
              .setStatementCount(end.getStatementCount())
              .setMaskedCount(end.getMaskedCount())
              .setBlockedCount(end.getBlockedCount())
              .setSearchText(text.toString())
              .build());
    }
  }
}
