package dev.ward.agent.recorder;

import dev.ward.agent.session.RecordedSession;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Notice;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.recording.EndState;
import dev.ward.recording.Manifest;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.SealedSegment;
import dev.ward.recording.SegmentWriter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One open session's recording in the spool. Listeners append from their event loop: each append
 * numbers the event and copies it into the current mapped {@link Journal}, nothing more. The {@link
 * SegmentSealer} thread does the rest — rolls to a fresh journal, compresses, signs and fsyncs
 * segments, writes the manifest — so event loops never wait for the disk.
 */
final class SpooledSession implements RecordedSession {

  private static final Logger LOG = System.getLogger(SpooledSession.class.getName());

  private final SessionFolder folder;
  private final boolean strict;
  private final RecorderSettings settings;
  private final RecordingSigner signer;
  private final Consumer<SpooledSession> requestSeal;
  private final AtomicBoolean sealRequested = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock: shared by the appending thread and the sealer.
  private Journal current;
  private final ArrayDeque<Journal> frozen = new ArrayDeque<>();
  private long nextSeq = 1;
  private long nextIndex = 1;
  private int journalCount = 1;
  private boolean closed;
  private boolean broken;
  private Journal spare;

  // Sealer thread only.
  private byte[] previousHash;
  private long sealedSegments;
  private long sealedEvents;

  private SpooledSession(
      SessionFolder folder,
      boolean strict,
      RecorderSettings settings,
      RecordingSigner signer,
      Journal first,
      Consumer<SpooledSession> requestSeal) {
    this.folder = folder;
    this.strict = strict;
    this.settings = settings;
    this.signer = signer;
    this.current = first;
    this.requestSeal = requestSeal;
    this.previousHash = RecordingFormat.genesis(folder.sessionId());
    first.begin(nextIndex++);
  }

  /**
   * Creates the session's folder and first journal and appends the start event. Strict sessions
   * preallocate the journal and fsync everything before returning, so a full or read-only disk
   * fails here rather than mid-session.
   */
  static SpooledSession open(
      SessionFolder folder,
      boolean strict,
      RecorderSettings settings,
      RecordingSigner signer,
      Event.Builder start,
      Consumer<SpooledSession> requestSeal)
      throws IOException {
    Journal first = Journal.create(folder.journal("journal-1"), settings.journalBytes(), strict);
    SpooledSession session =
        new SpooledSession(folder, strict, settings, signer, first, requestSeal);
    session.append(start);
    if (session.broken) {
      throw new IOException("the start event could not be written to " + first.file());
    }
    if (strict) {
      first.force();
      DurableFiles.fsyncDirectory(folder.dir());
    }
    return session;
  }

  @Override
  public String sessionId() {
    return folder.sessionId();
  }

  SessionFolder folder() {
    return folder;
  }

  @Override
  public long append(Event.Builder builder) {
    lock.lock();
    try {
      if (closed || broken) {
        return -1;
      }
      long seq = nextSeq;
      Event event = builder.setSeq(seq).setUnixNanos(unixNanos()).build();
      if (event.getSerializedSize() > RecordingFormat.MAX_EVENT_BYTES) {
        event = oversized(event);
      }
      write(event);
      if (broken) {
        return -1;
      }
      nextSeq++;
      if (current.payloadBytes() >= settings.segmentBytes()) {
        if (spare != null) {
          // Cut here, exactly at the size target: swapping mapped buffers needs no I/O.
          roll(spare);
          spare = null;
        }
        wakeSealer();
      }
      return seq;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close(SessionEnd end) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (!broken) {
        Event event =
            Event.newBuilder().setSeq(nextSeq).setUnixNanos(unixNanos()).setEnd(end).build();
        write(event);
        nextSeq++;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    sealRequested.set(true);
    requestSeal.accept(this);
  }

  private void wakeSealer() {
    if (sealRequested.compareAndSet(false, true)) {
      requestSeal.accept(this);
    }
  }

  private void write(Event event) {
    try {
      if (!current.append(event, System.nanoTime())) {
        // The sealer fell behind by a whole journal: roll here rather than lose the event.
        LOG.log(
            Level.WARNING,
            "Recording of session {0}: spool sealer is behind; opening an extra journal",
            sessionId());
        roll(Journal.create(nextJournal(), settings.journalBytes(), false));
        current.append(event, System.nanoTime());
        wakeSealer();
      }
    } catch (IOException | InternalError e) {
      // InternalError: the kernel could not back a mapped page (disk full).
      broken = true;
      LOG.log(
          Level.ERROR,
          "Recording of session {0} stopped at event {1}: the spool {2} cannot be written ({3})."
              + " Free disk space in the spool; events already spooled are kept.",
          sessionId(),
          String.valueOf(event.getSeq()),
          folder.dir(),
          e.getMessage());
    }
  }

  private java.nio.file.Path nextJournal() {
    lock.lock();
    try {
      return folder.journal("journal-" + (++journalCount));
    } finally {
      lock.unlock();
    }
  }

  private void roll(Journal next) {
    frozen.add(current);
    current = next;
    current.begin(nextIndex++);
  }

  private static Event oversized(Event event) {
    return Event.newBuilder()
        .setSeq(event.getSeq())
        .setUnixNanos(event.getUnixNanos())
        .setNotice(
            Notice.newBuilder()
                .setSeverity("error")
                .setMessage(
                    "A "
                        + event.getKindCase().name().toLowerCase()
                        + " event of "
                        + event.getSerializedSize()
                        + " bytes exceeded the recording limit of "
                        + RecordingFormat.MAX_EVENT_BYTES
                        + " bytes and was replaced by this notice"))
        .build();
  }

  static long unixNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Sealer thread: rolls the journal when it is full, old or closed, seals every frozen journal
   * into a segment, and writes the manifest once closed. {@code flush} seals whatever is buffered
   * (the agent is stopping).
   */
  Outcome sealDue(long nowNanos, SegmentWriter writer, boolean flush) throws IOException {
    sealRequested.set(false);
    List<Journal> toSeal;
    boolean done;
    boolean rollWaitsForSpare = false;
    Journal toForce;
    lock.lock();
    try {
      boolean rollNow =
          current != null && !current.isEmpty() && (closed || flush || due(current, nowNanos));
      if (rollNow && closed) {
        frozen.add(current);
        current = null;
      } else if (rollNow && spare != null) {
        roll(spare);
        spare = null;
      } else if (rollNow) {
        rollWaitsForSpare = true;
      }
      toForce = strict ? current : null;
      toSeal = new ArrayList<>(frozen);
      done = closed && current == null;
    } finally {
      lock.unlock();
    }
    if (toForce != null) {
      // Outside the lock: an msync must not hold up appends.
      toForce.force();
    }
    for (Journal journal : toSeal) {
      seal(journal, writer);
    }
    if (done) {
      finish();
      return Outcome.FINISHED;
    }
    if (needsSpare()) {
      // Prepared here, off the appending thread, so a roll never waits for file creation.
      Journal fresh = Journal.create(nextJournal(), settings.journalBytes(), strict);
      lock.lock();
      try {
        spare = fresh;
      } finally {
        lock.unlock();
      }
    }
    if (rollWaitsForSpare) {
      wakeSealer();
    }
    return toSeal.isEmpty() ? Outcome.IDLE : Outcome.SEALED;
  }

  /** What a pass of the sealer did for a session. */
  enum Outcome {
    IDLE,
    SEALED,
    FINISHED
  }

  private boolean due(Journal journal, long nowNanos) {
    return journal.payloadBytes() >= settings.segmentBytes()
        || nowNanos - journal.firstAppendNanos() >= settings.sealInterval().toNanos();
  }

  private void seal(Journal journal, SegmentWriter writer) throws IOException {
    SealedSegment segment =
        writer.seal(
            sessionId(),
            journal.index(),
            journal.firstSeq(),
            journal.lastSeq(),
            previousHash,
            journal.payload());
    folder.write(segment);
    previousHash = segment.hash();
    sealedSegments = segment.index();
    sealedEvents = segment.lastSeq();
    journal.clear();
    boolean recycled;
    lock.lock();
    try {
      frozen.remove(journal);
      recycled = spare == null && !closed;
      if (recycled) {
        spare = journal;
      }
    } finally {
      lock.unlock();
    }
    if (!recycled) {
      Files.deleteIfExists(journal.file());
    }
  }

  private boolean needsSpare() {
    lock.lock();
    try {
      return spare == null && !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Writes the manifest: the session is closed in the spool and ready for upload. */
  private void finish() throws IOException {
    lock.lock();
    try {
      spare = null;
    } finally {
      lock.unlock();
    }
    for (var journal : folder.journals()) {
      Files.deleteIfExists(journal);
    }
    if (sealedSegments > 0) {
      folder.write(
          Manifest.sign(
              signer,
              sessionId(),
              EndState.CLOSED,
              sealedSegments,
              sealedEvents,
              previousHash,
              unixNanos()));
    }
  }
}
