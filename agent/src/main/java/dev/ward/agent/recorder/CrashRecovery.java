package dev.ward.agent.recorder;

import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.recording.EndState;
import dev.ward.recording.EventFrames;
import dev.ward.recording.MalformedRecordingException;
import dev.ward.recording.Manifest;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.SealedSegment;
import dev.ward.recording.Segment;
import dev.ward.recording.SegmentWriter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Resumes the spool when the agent starts: every session that was open when the agent stopped is
 * closed "by crash recovery" — each event that reached its journals is sealed, chained after the
 * segments already sealed, followed by a {@code crash-recovered} end event and a manifest that says
 * so. The uploader then moves it to storage like any other.
 */
final class CrashRecovery {

  private static final Logger LOG = System.getLogger(CrashRecovery.class.getName());

  private final RecordingSigner signer;
  private final int maxJournalBytes;

  CrashRecovery(RecordingSigner signer, int maxJournalBytes) {
    this.signer = signer;
    this.maxJournalBytes = maxJournalBytes;
  }

  /** Recovers every session folder of the spool; returns how many sessions it closed. */
  int recover(Path spool) throws IOException {
    int recovered = 0;
    try (SegmentWriter writer = new SegmentWriter(signer)) {
      for (Path dir : SessionFolder.list(spool)) {
        SessionFolder folder = SessionFolder.open(dir);
        if (folder == null) {
          continue;
        }
        try {
          if (recover(folder, writer)) {
            recovered++;
          }
        } catch (IOException | MalformedRecordingException e) {
          LOG.log(
              Level.ERROR,
              "Cannot recover the recording in {0}: {1}. It is left in place for an operator.",
              dir,
              e.getMessage());
        }
      }
    }
    return recovered;
  }

  private boolean recover(SessionFolder folder, SegmentWriter writer)
      throws IOException, MalformedRecordingException {
    folder.removeTemporaryFiles();
    if (folder.isClosed()) {
      deleteJournals(folder);
      return false;
    }
    String sessionId = folder.sessionId();
    byte[] previous = RecordingFormat.genesis(sessionId);
    long lastIndex = 0;
    long lastSeq = 0;
    Map.Entry<Long, Path> last = folder.segments().lastEntry();
    if (last != null) {
      Segment segment = Segment.parse(Files.readAllBytes(last.getValue()));
      previous = segment.hash();
      lastIndex = segment.header().index();
      lastSeq = segment.header().lastSeq();
    }
    List<List<Event>> runs = new ArrayList<>();
    List<Journal.Leftover> leftovers = new ArrayList<>();
    for (Path file : folder.journals()) {
      leftovers.add(Journal.read(file, maxJournalBytes));
    }
    leftovers.sort(Comparator.comparingLong(Journal.Leftover::index));
    long nextSeq = lastSeq + 1;
    for (Journal.Leftover leftover : leftovers) {
      if (leftover.index() <= lastIndex || leftover.events().isEmpty()) {
        continue;
      }
      if (leftover.events().get(0).getSeq() != nextSeq) {
        LOG.log(
            Level.WARNING,
            "Recording of session {0}: journal {1} does not continue at event {2}; later events"
                + " are not recoverable",
            sessionId,
            leftover.file().getFileName(),
            String.valueOf(nextSeq));
        break;
      }
      runs.add(leftover.events());
      nextSeq += leftover.events().size();
    }
    if (nextSeq == 1) {
      // Not even the start event reached the spool: the session never started.
      folder.delete();
      return false;
    }
    runs.add(
        List.of(
            Event.newBuilder()
                .setSeq(nextSeq)
                .setUnixNanos(SpooledSession.unixNanos())
                .setEnd(SessionEnd.newBuilder().setReason("crash-recovered"))
                .build()));
    long index = lastIndex;
    for (List<Event> run : runs) {
      SealedSegment segment =
          writer.seal(sessionId, ++index, first(run), last(run), previous, frame(run));
      folder.write(segment);
      previous = segment.hash();
    }
    deleteJournals(folder);
    folder.write(
        Manifest.sign(
            signer,
            sessionId,
            EndState.RECOVERED,
            index,
            nextSeq,
            previous,
            SpooledSession.unixNanos()));
    LOG.log(
        Level.INFO,
        "Recording of session {0} closed by crash recovery with {1} events",
        sessionId,
        String.valueOf(nextSeq));
    return true;
  }

  private static long first(List<Event> run) {
    return run.get(0).getSeq();
  }

  private static long last(List<Event> run) {
    return run.get(run.size() - 1).getSeq();
  }

  private static ByteBuffer frame(List<Event> run) {
    int size = 0;
    for (Event e : run) {
      size += EventFrames.frameSize(e);
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (Event e : run) {
      EventFrames.write(e, buf);
    }
    return buf.flip();
  }

  private static void deleteJournals(SessionFolder folder) throws IOException {
    for (Path journal : folder.journals()) {
      Files.deleteIfExists(journal);
    }
  }
}
