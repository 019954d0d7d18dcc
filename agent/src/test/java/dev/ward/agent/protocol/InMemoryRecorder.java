package dev.ward.agent.protocol;

import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.agent.session.SessionRecorder;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A recorder that keeps sessions in memory, for tests; it can be told to refuse strict ones. */
public final class InMemoryRecorder implements SessionRecorder {

  /** One recorded session. */
  public static final class Session implements RecordedSession {
    private final SessionStart start;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile SessionEnd end;

    Session(SessionStart start) {
      this.start = start;
    }

    @Override
    public String sessionId() {
      return start.getSessionId();
    }

    @Override
    public synchronized long append(Event.Builder event) {
      if (end != null) {
        return -1;
      }
      long seq = events.size() + 2;
      events.add(event.setSeq(seq).build());
      return seq;
    }

    @Override
    public synchronized void close(SessionEnd end) {
      if (this.end == null) {
        this.end = end;
      }
    }

    public SessionStart start() {
      return start;
    }

    public SessionEnd end() {
      return end;
    }

    public List<Event> events() {
      return List.copyOf(events);
    }

    public List<Statement> statements() {
      List<Statement> out = new ArrayList<>();
      for (Event e : events) {
        if (e.hasStatement()) {
          out.add(e.getStatement());
        }
      }
      return out;
    }
  }

  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private volatile boolean unavailable;

  /** From now on, strict sessions cannot be recorded. */
  public void makeUnavailable() {
    unavailable = true;
  }

  @Override
  public RecordedSession open(SessionStart start, boolean strict)
      throws RecordingUnavailableException {
    if (strict && unavailable) {
      throw new RecordingUnavailableException("spool is full", null);
    }
    Session s = new Session(start);
    sessions.add(s);
    return s;
  }

  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  public Session last() {
    return sessions.get(sessions.size() - 1);
  }

  /** Every statement of every session, in order. */
  public List<Statement> statements() {
    List<Statement> out = new ArrayList<>();
    sessions.forEach(s -> out.addAll(s.statements()));
    return out;
  }
}
