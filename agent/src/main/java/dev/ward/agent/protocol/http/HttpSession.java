package dev.ward.agent.protocol.http;

import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.agent.protocol.Verdict;
import dev.ward.agent.session.RecordedSession;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.GuardrailDecision;
import dev.ward.proto.recording.v1.MaskingEntry;
import dev.ward.proto.recording.v1.MaskingManifest;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.WebSocketMessage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded session of an HTTP-carried connection: every exchange one grant makes until it stays
 * idle, under the policy and upstream credential it opened with. Thread-safe.
 */
public final class HttpSession {

  private final SessionStart start;
  private final RecordedSession recording;
  private final SessionPolicy policy;
  private final UpstreamCredential credential;
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong masked = new AtomicLong();
  private final AtomicLong blocked = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastActiveNanos = System.nanoTime();

  HttpSession(
      SessionStart start,
      RecordedSession recording,
      SessionPolicy policy,
      UpstreamCredential credential) {
    this.start = start;
    this.recording = recording;
    this.policy = policy;
    this.credential = credential;
  }

  public SessionStart start() {
    return start;
  }

  public SessionPolicy policy() {
    return policy;
  }

  public UpstreamCredential credential() {
    return credential;
  }

  /** Marks an exchange as begun; returns false when the session has closed meanwhile. */
  synchronized boolean begin() {
    if (closed.get()) {
      return false;
    }
    inFlight.incrementAndGet();
    lastActiveNanos = System.nanoTime();
    return true;
  }

  /**
   * Records one finished exchange, what masking changed in it (pointing at its sequence number) and
   * the guardrail decision that refused it, if any.
   */
  void record(
      Exchange.Builder exchange,
      List<MaskedCells> maskedCells,
      Verdict refusal,
      List<Event.Builder> extraEvents) {
    try {
      exchanges.incrementAndGet();
      long seq = recording.append(Event.newBuilder().setExchange(exchange));
      for (Event.Builder extra : extraEvents) {
        recording.append(extra);
      }
      appendManifest(seq, maskedCells);
      if (refusal != null) {
        blocked.incrementAndGet();
        String operation =
            exchange.getToolName().isEmpty()
                ? exchange.getMethod() + " " + exchange.getPath()
                : "tools/call " + exchange.getToolName();
        recording.append(
            Event.newBuilder()
                .setGuardrail(
                    GuardrailDecision.newBuilder()
                        .setRule(refusal.rule())
                        .setAction(refusal.action().name().toLowerCase(Locale.ROOT))
                        .setReason(refusal.reason())
                        .setOperation(operation)));
      }
    } finally {
      lastActiveNanos = System.nanoTime();
      inFlight.decrementAndGet();
    }
  }

  /** Appends one event (e.g. a step of an approval hold) to the session's recording. */
  void append(Event.Builder event) {
    recording.append(event);
    lastActiveNanos = System.nanoTime();
  }

  /** Records one WebSocket message and what masking changed in it. */
  void recordMessage(WebSocketMessage.Builder message, List<MaskedCells> maskedCells) {
    long seq = recording.append(Event.newBuilder().setWebsocket(message));
    lastActiveNanos = System.nanoTime();
    appendManifest(seq, maskedCells);
  }

  /** What masking changed in the event at {@code seq}, as a manifest pointing at it. */
  private void appendManifest(long seq, List<MaskedCells> maskedCells) {
    if (maskedCells.isEmpty()) {
      return;
    }
    MaskingManifest.Builder manifest = MaskingManifest.newBuilder().setEventSeq(seq);
    for (MaskedCells cells : maskedCells) {
      masked.addAndGet(cells.count());
      manifest.addEntries(
          MaskingEntry.newBuilder()
              .setRule(cells.rule())
              .setLocation(cells.column())
              .setCount(cells.count())
              .setStrategy(cells.strategy()));
    }
    recording.append(Event.newBuilder().setMasking(manifest));
  }

  /**
   * Ends the session if no exchange is running and none ran for at least {@code idleNanos}; returns
   * whether it did.
   */
  boolean closeIfIdle(long idleNanos) {
    synchronized (this) {
      if (closed.get() || inFlight.get() > 0 || System.nanoTime() - lastActiveNanos < idleNanos) {
        return false;
      }
      closed.set(true);
    }
    end("normal");
    return true;
  }

  /** Ends the recording; later exchanges of the same grant open a new session. */
  void close(String reason) {
    if (closed.compareAndSet(false, true)) {
      end(reason);
    }
  }

  private void end(String reason) {
    recording.close(
        SessionEnd.newBuilder()
            .setReason(reason)
            .setStatementCount(exchanges.get())
            .setMaskedCount(masked.get())
            .setBlockedCount(blocked.get())
            .build());
  }

  boolean closed() {
    return closed.get();
  }
}
