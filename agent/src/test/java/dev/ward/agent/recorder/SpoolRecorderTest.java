package dev.ward.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ward.agent.session.RecordedSession;
import dev.ward.agent.session.RecordingUnavailableException;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.recording.DirectorySource;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingReader;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpoolRecorderTest {

  private static final RecordingSigner KEY = new RecordingSigner(RecordingSigner.generateKeyPair());

  @TempDir Path spool;
  private SpoolRecorder recorder;

  @AfterEach
  void stop() {
    if (recorder != null) {
      recorder.close();
    }
  }

  private SpoolRecorder started(RecorderSettings settings) {
    recorder = new SpoolRecorder(settings, KEY, () -> {});
    recorder.start();
    return recorder;
  }

  private static RecorderSettings smallSegments(Path spool) {
    return new RecorderSettings(spool, 8 << 10, Duration.ofSeconds(1), 2 << 20);
  }

  private Verdict verify(String sessionId) throws Exception {
    return RecordingVerifier.verifyDirectory(spool.resolve(sessionId), List.of(KEY.publicKey()));
  }

  private void awaitClosed(String sessionId) throws InterruptedException {
    Path manifest = spool.resolve(sessionId).resolve(RecordingFormat.MANIFEST_NAME);
    Eventually.await(
        sessionId + " is closed", Duration.ofSeconds(30), () -> Files.exists(manifest));
  }

  @Test
  void closedSessionBecomesAnIntactRecordingWithEveryEventInOrder() throws Exception {
    started(RecorderSettings.defaults(spool));

    Sessions.record(recorder, "acme", "s-1", 1000, true);
    awaitClosed("s-1");

    Verdict v = verify("s-1");
    assertThat(v.status()).isEqualTo(Verdict.Status.INTACT);
    assertThat(v.eventCount()).isEqualTo(1002);
    List<Event> events =
        new RecordingReader(new DirectorySource(spool.resolve("s-1"))).readAll(5000);
    assertThat(events.get(0).getStart().getSessionId()).isEqualTo("s-1");
    assertThat(events.get(1).getStatement().getParameters(0)).isEqualTo("1000");
    assertThat(events.get(1001).getEnd().getStatementCount()).isEqualTo(1000);
    assertThat(spool.resolve("s-1")).isDirectoryNotContaining("glob:**.wjnl");
  }

  @Test
  void appendReturnsTheSequenceNumberItAssigned() throws Exception {
    started(RecorderSettings.defaults(spool));
    RecordedSession session = recorder.open(Sessions.start("acme", "s-seq"), false);

    assertThat(session.append(Sessions.statement(0))).isEqualTo(2);
    assertThat(session.append(Sessions.statement(1))).isEqualTo(3);
  }

  @Test
  void largeSessionIsCutIntoChainedSegmentsBySize() throws Exception {
    started(smallSegments(spool));

    RecordedSession session = Sessions.record(recorder, "acme", "s-big", 1000, false);
    Path first = spool.resolve("s-big").resolve(RecordingFormat.segmentName(1));
    Eventually.await("a full segment is sealed", Duration.ofSeconds(10), () -> Files.exists(first));
    for (int i = 1000; i < 2000; i++) {
      session.append(Sessions.statement(i));
    }
    session.close(SessionEnd.newBuilder().setReason("normal").build());
    awaitClosed("s-big");

    Verdict v = verify("s-big");
    assertThat(v.status()).isEqualTo(Verdict.Status.INTACT);
    assertThat(v.segmentCount()).isGreaterThan(1);
    assertThat(v.eventCount()).isEqualTo(2002);
  }

  @Test
  void openSessionIsSealedWithinTheSealIntervalWithoutWaitingForMoreEvents() throws Exception {
    started(RecorderSettings.defaults(spool));

    Sessions.record(recorder, "acme", "s-quiet", 3, false);

    Path first = spool.resolve("s-quiet").resolve(RecordingFormat.segmentName(1));
    Eventually.await(
        "the first segment is sealed", Duration.ofSeconds(10), () -> Files.exists(first));
    assertThat(verify("s-quiet").status()).isEqualTo(Verdict.Status.TAIL_MISSING);
  }

  @Test
  void sessionOpenWhenTheAgentDiedIsClosedByCrashRecoveryWithEveryAppendedEvent() throws Exception {
    started(smallSegments(spool));
    Sessions.record(recorder, "acme", "s-crash", 1500, false);
    recorder.halt();

    started(smallSegments(spool));
    awaitClosed("s-crash");

    Verdict v = verify("s-crash");
    assertThat(v.status()).isEqualTo(Verdict.Status.INTACT_RECOVERED);
    assertThat(v.eventCount()).isEqualTo(1 + 1500 + 1);
    List<Event> events =
        new RecordingReader(new DirectorySource(spool.resolve("s-crash"))).readAll(5000);
    assertThat(events.get(1500).getStatement().getParameters(0)).isEqualTo("2499");
    assertThat(events.get(1501).getEnd().getReason()).isEqualTo("crash-recovered");
  }

  @Test
  void sessionThatNeverWroteItsStartIsDroppedFromTheSpoolOnRecovery() throws Exception {
    Path dir = Files.createDirectories(spool.resolve("s-empty"));
    Files.writeString(dir.resolve(SessionFolder.META), "tenant=acme\nsession=s-empty\n");

    started(RecorderSettings.defaults(spool));

    assertThat(dir).doesNotExist();
  }

  @Test
  void strictSessionIsRefusedWhenTheSpoolCannotBeWritten() throws Exception {
    Path notADirectory = Files.writeString(spool.resolve("file"), "x");
    started(RecorderSettings.defaults(notADirectory.resolve("spool")));

    assertThatThrownBy(() -> recorder.open(Sessions.start("acme", "s-strict"), true))
        .isInstanceOf(RecordingUnavailableException.class)
        .hasMessageContaining("requires strict recording")
        .hasMessageContaining(notADirectory.toString());
  }

  @Test
  void bestEffortSessionStartsUnrecordedWhenTheSpoolCannotBeWritten() throws Exception {
    Path notADirectory = Files.writeString(spool.resolve("file"), "x");
    started(RecorderSettings.defaults(notADirectory.resolve("spool")));

    RecordedSession session = recorder.open(Sessions.start("acme", "s-loose"), false);

    assertThat(session.sessionId()).isEqualTo("s-loose");
    assertThat(session.append(Sessions.statement(1))).isEqualTo(2);
  }

  @Test
  void aFullSpoolRefusesNewStrictSessionsRunsBestEffortOnesUnrecordedAndKeepsOpenOnesRecording()
      throws Exception {
    recorder = new SpoolRecorder(RecorderSettings.defaults(spool), KEY, () -> {}, 1);
    recorder.start();
    RecordedSession open = recorder.open(Sessions.start("acme", "s-open"), true);
    Sessions.record(recorder, "acme", "s-waiting", 3, true);
    awaitClosed("s-waiting");
    // past the backlog figure's refresh interval
    Thread.sleep(600);
    recorder.measureSpool();
    assertThat(recorder.spooledBytes()).isPositive();

    assertThatThrownBy(() -> recorder.open(Sessions.start("acme", "s-strict"), true))
        .isInstanceOf(RecordingUnavailableException.class)
        .hasMessageContaining(spool + " is full (")
        .hasMessageContaining("recording-spool-max-bytes");
    RecordedSession loose = recorder.open(Sessions.start("acme", "s-loose"), false);
    assertThat(loose).isInstanceOf(UnspooledSession.class);
    assertThat(spool.resolve("s-strict")).doesNotExist();
    assertThat(spool.resolve("s-loose")).doesNotExist();

    open.append(Sessions.statement(1));
    open.close(SessionEnd.newBuilder().setReason("normal").build());
    awaitClosed("s-open");
    assertThat(verify("s-open").eventCount()).isEqualTo(3);
  }

  @Test
  void strictSessionIsDurablyInTheSpoolWhenOpenReturns() throws Exception {
    started(RecorderSettings.defaults(spool));

    recorder.open(Sessions.start("acme", "s-durable"), true);

    Path journal = spool.resolve("s-durable").resolve("journal-1.wjnl");
    assertThat(Journal.read(journal, 4 << 20).events())
        .singleElement()
        .satisfies(e -> assertThat(e.getStart().getSessionId()).isEqualTo("s-durable"));
  }

  @Test
  void appendsAfterCloseAreIgnored() throws Exception {
    started(RecorderSettings.defaults(spool));
    RecordedSession session = Sessions.record(recorder, "acme", "s-late", 2, true);

    assertThat(session.append(Sessions.statement(9))).isEqualTo(-1);
    awaitClosed("s-late");
    assertThat(verify("s-late").eventCount()).isEqualTo(4);
  }

  @Test
  void eventLargerThanTheFormatAllowsIsRecordedAsANotice() throws Exception {
    started(RecorderSettings.defaults(spool));
    RecordedSession session = recorder.open(Sessions.start("acme", "s-huge"), false);

    session.append(
        Event.newBuilder()
            .setExchange(
                Exchange.newBuilder()
                    .setResponseBody(
                        ByteString.copyFrom(new byte[RecordingFormat.MAX_EVENT_BYTES]))));
    session.close(SessionEnd.newBuilder().setReason("normal").build());
    awaitClosed("s-huge");

    List<Event> events =
        new RecordingReader(new DirectorySource(spool.resolve("s-huge"))).readAll(10);
    assertThat(events.get(1).getNotice().getMessage()).contains("exceeded the recording limit");
  }
}
