package dev.ward.agent.recorder;

import dev.ward.agent.recorder.SpooledSession.Outcome;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.SegmentWriter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The recorder's own thread: seals segments of every open session when they fill up, grow old or
 * close, flushes strict sessions' journals, and tells the uploader when there is something new. All
 * compression, signing and fsync happen here, never on a listener's event loop.
 */
final class SegmentSealer {

  private static final Logger LOG = System.getLogger(SegmentSealer.class.getName());
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final SegmentWriter writer;
  private final Runnable onSealed;
  private final Set<SpooledSession> open = ConcurrentHashMap.newKeySet();
  private final LinkedBlockingQueue<SpooledSession> due = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean flushOnStop = true;
  private long lastFailureLog;

  SegmentSealer(RecordingSigner signer, Runnable onSealed) {
    this.writer = new SegmentWriter(signer);
    this.onSealed = onSealed;
    this.thread = new Thread(this::run, "ward-recording-sealer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void register(SpooledSession session) {
    open.add(session);
  }

  /** Asks for a pass over this session soon; never blocks. */
  void requestSeal(SpooledSession session) {
    due.offer(session);
  }

  int openSessions() {
    return open.size();
  }

  private void run() {
    long lastTick = System.nanoTime();
    while (running) {
      Set<SpooledSession> batch = new LinkedHashSet<>();
      try {
        SpooledSession first = due.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          due.drainTo(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long now = System.nanoTime();
      if (now - lastTick >= TICK_NANOS) {
        batch.addAll(open);
        lastTick = now;
      }
      pass(batch, now, false);
    }
    if (flushOnStop) {
      pass(new LinkedHashSet<>(open), System.nanoTime(), true);
    }
    writer.close();
  }

  private void pass(Set<SpooledSession> sessions, long now, boolean flush) {
    boolean sealed = false;
    for (SpooledSession session : sessions) {
      try {
        Outcome outcome = session.sealDue(now, writer, flush);
        if (outcome == Outcome.FINISHED) {
          open.remove(session);
        }
        sealed |= outcome != Outcome.IDLE;
      } catch (IOException | RuntimeException e) {
        // The events stay in the session's journal; the next pass tries again.
        if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
          lastFailureLog = now;
          LOG.log(
              Level.WARNING,
              "Cannot seal the recording of session {0} in the spool ({1}); retrying. Free disk"
                  + " space or fix the spool''s permissions.",
              session.sessionId(),
              e.toString());
        }
      }
    }
    if (sealed) {
      onSealed.run();
    }
  }

  /** Stops after sealing everything buffered, so it reaches storage even if sessions stay open. */
  void stop() {
    stop(true);
  }

  /**
   * Stops the thread; without {@code flush} the spool is left exactly as a crash would leave it
   * (tests of crash recovery use this).
   */
  void stop(boolean flush) {
    flushOnStop = flush;
    // No interrupt: it would close the file channel of a segment being written. The loop polls
    // at every tick, so it notices within one.
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
