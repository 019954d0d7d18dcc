package dev.ward.agent.recorder;

import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.agent.session.SessionRecorder;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;

/**
 * The agent's {@link SessionRecorder}: one spool folder per session, events appended to mapped
 * journals as they come, segments sealed, signed and fsync'd by its own thread, and sessions left
 * open by a crash closed on the next start. Uploading is the {@link SpoolUploader}'s job; this
 * recorder only calls {@code onSealed} when there is something new for it.
 */
public final class SpoolRecorder implements SessionRecorder, AutoCloseable {

  private static final Logger LOG = System.getLogger(SpoolRecorder.class.getName());
  private static final String NO_TENANT = "unassigned";

  private final RecorderSettings settings;
  private final RecordingSigner signer;
  private final SegmentSealer sealer;
  private final SpoolBacklog backlog;
  private volatile boolean accepting;

  /** A recorder whose spool may grow as long as the disk allows. */
  public SpoolRecorder(RecorderSettings settings, RecordingSigner signer, Runnable onSealed) {
    this(settings, signer, onSealed, Long.MAX_VALUE);
  }

  /**
   * @param maxSpooledBytes sealed bytes that may wait for upload; once reached (storage down for
   *     long), new strict sessions are refused and new best-effort sessions run unrecorded, while
   *     sessions already open keep recording
   */
  public SpoolRecorder(
      RecorderSettings settings, RecordingSigner signer, Runnable onSealed, long maxSpooledBytes) {
    this.settings = settings;
    this.signer = signer;
    this.sealer = new SegmentSealer(signer, onSealed);
    this.backlog = new SpoolBacklog(settings.spoolDir(), maxSpooledBytes, 500_000_000L);
  }

  /**
   * Closes, by crash recovery, every session a previous run left open, then starts sealing. Call
   * before starting the uploader and before listeners accept clients.
   */
  public void start() {
    try {
      Files.createDirectories(settings.spoolDir());
      int recovered =
          new CrashRecovery(signer, settings.journalBytes()).recover(settings.spoolDir());
      if (recovered > 0) {
        LOG.log(Level.INFO, "Closed {0} interrupted recordings by crash recovery", recovered);
      }
    } catch (IOException e) {
      LOG.log(
          Level.ERROR,
          "The recording spool {0} cannot be used: {1}. Strict sessions will be refused until it"
              + " is writable.",
          settings.spoolDir(),
          e.getMessage());
    }
    sealer.start();
    accepting = true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Creates the session's spool folder and first journal: a few file operations, plus an fsync
   * for strict sessions, so call it from a worker ({@code vertx.executeBlocking}) rather than an
   * event loop. Appends afterwards do no file I/O.
   */
  @Override
  public RecordedSession open(SessionStart start, boolean strict)
      throws RecordingUnavailableException {
    String sessionId = start.getSessionId();
    RecordingFormat.requireSessionId(sessionId);
    String tenant = start.getTenantId().isEmpty() ? NO_TENANT : start.getTenantId();
    if (!RecordingFormat.SAFE_ID.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant id is not usable in an object key: " + tenant);
    }
    try {
      if (!accepting) {
        throw new IOException("the recorder is not running (the agent is starting or stopping)");
      }
      if (backlog.full()) {
        throw new SpoolFull(
            backlog.bytes()
                + " bytes wait for upload, the limit (recording-spool-max-bytes) is "
                + backlog.maxBytes()
                + "; is the recording storage reachable?");
      }
      SessionFolder folder = SessionFolder.create(settings.spoolDir(), tenant, sessionId, strict);
      SpooledSession session =
          SpooledSession.open(
              folder,
              strict,
              settings,
              signer,
              Event.newBuilder().setStart(start),
              sealer::requestSeal);
      sealer.register(session);
      return session;
    } catch (IOException | UncheckedIOException | InternalError e) {
      String reason =
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e instanceof SpoolFull ? e.getMessage() : e.toString();
      String problem =
          (e instanceof SpoolFull ? "is full (" : "cannot be written (") + reason + ")";
      String fix =
          e instanceof SpoolFull
              ? "Make the recording storage reachable so the spool drains, or raise"
                  + " recording-spool-max-bytes"
              : "Free disk space or fix the spool's permissions";
      if (strict) {
        throw new RecordingUnavailableException(
            "Session "
                + sessionId
                + " was not started: its connection requires strict recording and the recording"
                + " spool "
                + settings.spoolDir()
                + " "
                + problem
                + ". "
                + fix
                + ", then retry.",
            e);
      }
      LOG.log(
          Level.WARNING,
          "Session {0} runs unrecorded: the recording spool {1} {2}. The connection allows"
              + " best-effort recording. {3}.",
          sessionId,
          settings.spoolDir(),
          problem,
          fix);
      return new UnspooledSession(sessionId);
    }
  }

  /**
   * Bytes of sealed recording waiting in the spool for upload, as last measured; no disk access, so
   * health checks may call it on an event loop. {@link #measureSpool()} refreshes it.
   */
  public long spooledBytes() {
    return backlog.lastMeasured();
  }

  /** Measures the spool's backlog again (lists the spool: call it from a worker). */
  public void measureSpool() {
    try {
      backlog.bytes();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "Cannot measure the spool: {0}", e.getMessage());
    }
  }

  /** Sessions whose recording is open in this recorder. */
  public int openSessions() {
    return sealer.openSessions();
  }

  /**
   * Seals everything buffered and stops. Sessions still open stay open in the spool and are closed
   * by crash recovery on the next start; listeners should close their sessions first.
   */
  @Override
  public void close() {
    accepting = false;
    sealer.stop(true);
  }

  /** The spool holds as much unuploaded recording as the agent allows. */
  private static final class SpoolFull extends IOException {
    SpoolFull(String message) {
      super(message);
    }
  }

  /** Stops at once, leaving the spool as a crash would (for tests of crash recovery). */
  void halt() {
    accepting = false;
    sealer.stop(false);
  }
}
