import dev.ward.agent.recorder.AgentSigningKey;
import dev.ward.agent.recorder.RecorderSettings;
import dev.ward.agent.recorder.SpoolRecorder;
import dev.ward.agent.recorder.SpoolUploader;
import dev.ward.agent.session.RecordedSession;
import dev.ward.proto.recording.v1.Column;
import dev.ward.proto.recording.v1.Event;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionEnd;
import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.store.MinioObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * How fast the agent's recorder takes statements, run by bench/bench.py with the agent jar on the
 * class path (java's source-file mode, no build step):
 *
 * <pre>
 *   java -cp agent/target/ward-agent.jar bench/recording/RecordingThroughput.java \
 *       WORKDIR SECONDS SESSIONS [S3_ENDPOINT BUCKET ACCESS_KEY SECRET_KEY]
 * </pre>
 *
 * <p>Spool: one thread appends pgbench-like statement events (text, two parameters, a column,
 * timing) round-robin to SESSIONS open sessions for SECONDS, as event loops do, then closes them;
 * the figure is event bytes over the time until every segment is compressed, signed and written
 * with its manifest. S3: the sealed spool is then uploaded by the agent's own uploader. Prints one
 * JSON line.
 */
public class RecordingThroughput {

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    int sessions = Integer.parseInt(args[2]);
    Path spool = work.resolve("spool");
    RecordingSigner signer = AgentSigningKey.loadOrCreate(
            work, dev.ward.agent.keys.KeySeal.fromAgentToken("wagt_recording-bench-token"));
    SpoolRecorder recorder = new SpoolRecorder(RecorderSettings.defaults(spool), signer, () -> {});
    recorder.start();

    List<RecordedSession> open = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      open.add(recorder.open(start(), false));
    }
    long statements = 0;
    long eventBytes = 0;
    long began = System.nanoTime();
    long until = began + (long) (seconds * 1e9);
    while (System.nanoTime() < until) {
      for (int batch = 0; batch < 256; batch++) {
        Statement s = statement(statements).build();
        eventBytes += s.getSerializedSize();
        open.get((int) (statements % sessions)).append(Event.newBuilder().setStatement(s));
        statements++;
      }
    }
    long appended = System.nanoTime();
    for (RecordedSession s : open) {
      s.close(SessionEnd.newBuilder().setReason("normal").setStatementCount(statements).build());
    }
    while (recorder.openSessions() > 0) {
      Thread.sleep(5);
    }
    long sealed = System.nanoTime();
    recorder.close();
    long storedBytes = treeBytes(spool);

    StringBuilder json = new StringBuilder();
    json.append("{\"statements\":")
        .append(statements)
        .append(",\"eventBytes\":")
        .append(eventBytes)
        .append(",\"storedBytes\":")
        .append(storedBytes)
        .append(",\"appendSeconds\":")
        .append((appended - began) / 1e9)
        .append(",\"spoolSeconds\":")
        .append((sealed - began) / 1e9);

    if (args.length >= 7) {
      MinioObjectStore store = new MinioObjectStore(args[3], "", args[4], args[5], args[6], true);
      SpoolUploader uploader = new SpoolUploader(spool, store);
      long upStart = System.nanoTime();
      uploader.start();
      uploader.wake();
      long deadline = upStart + 120_000_000_000L;
      while (hasSessions(spool) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long upEnd = System.nanoTime();
      uploader.close();
      store.close();
      json.append(",\"uploadSeconds\":")
          .append((upEnd - upStart) / 1e9)
          .append(",\"uploadedObjects\":")
          .append(uploader.uploadedObjects())
          .append(",\"uploadComplete\":")
          .append(!hasSessions(spool));
    }
    System.out.println(json.append('}'));
  }

  private static SessionStart start() {
    return SessionStart.newBuilder()
        .setSessionId(UUID.randomUUID().toString())
        .setTenantId("bench")
        .setConnectionId("bench-connection")
        .setProtocol("postgres")
        .setPolicyVersion(1)
        .setIdentity(
            Identity.newBuilder()
                .setSubject("bench@example.com")
                .setActor("pgbench")
                .setWorkSessionId("bench"))
        .build();
  }

  /** A statement like pgbench's TPC-B update, with its parameters, as the listener records it. */
  private static Statement.Builder statement(long n) {
    return Statement.newBuilder()
        .setText("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;")
        .setProtocolMode("extended")
        .addParameters(String.valueOf(n % 5000 - 2500))
        .addParameters(String.valueOf(n % 1_000_000))
        .addColumns(Column.newBuilder().setName("abalance").setTypeOid(23))
        .setCommandTag("UPDATE 1")
        .setRowCount(1)
        .setBytesIn(120)
        .setBytesOut(30)
        .setDurationNanos(80_000 + n % 1000)
        .setTransactionStatus("T");
  }

  /** Whether the spool still holds a file; the uploader deletes files while this walks. */
  private static boolean hasSessions(Path spool) throws IOException {
    while (true) {
      try (Stream<Path> files = Files.walk(spool)) {
        return files.anyMatch(Files::isRegularFile);
      } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
        if (!Files.exists(spool)) {
          return false;
        }
        // a folder went away under the walk: look again
      }
    }
  }

  private static long treeBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
