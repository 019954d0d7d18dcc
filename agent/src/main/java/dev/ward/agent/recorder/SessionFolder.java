package dev.ward.agent.recorder;

import dev.ward.recording.Manifest;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.SealedSegment;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One session's folder in the spool: {@code session.properties} (tenant and session id), the
 * journals being written, the sealed segments not yet uploaded, and the manifest once closed.
 */
final class SessionFolder {

  static final String META = "session.properties";
  static final String JOURNAL_SUFFIX = ".wjnl";

  private final Path dir;
  private final String tenant;
  private final String sessionId;

  private SessionFolder(Path dir, String tenant, String sessionId) {
    this.dir = dir;
    this.tenant = tenant;
    this.sessionId = sessionId;
  }

  /** Creates the folder of a new session; {@code durable} fsyncs it before returning. */
  static SessionFolder create(Path spool, String tenant, String sessionId, boolean durable)
      throws IOException {
    Files.createDirectories(spool);
    Path dir = spool.resolve(sessionId);
    Files.createDirectory(dir);
    Properties p = new Properties();
    p.setProperty("tenant", tenant);
    p.setProperty("session", sessionId);
    Path meta = dir.resolve(META);
    try (Writer w = Files.newBufferedWriter(meta, StandardCharsets.UTF_8)) {
      p.store(w, null);
    }
    if (durable) {
      DurableFiles.fsync(meta);
      DurableFiles.fsyncDirectory(dir);
      DurableFiles.fsyncDirectory(spool);
    }
    return new SessionFolder(dir, tenant, sessionId);
  }

  /** Opens the folder of a session found in the spool, or null when it holds no session. */
  static SessionFolder open(Path dir) throws IOException {
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String tenant = p.getProperty("tenant", "");
    String session = p.getProperty("session", "");
    if (!RecordingFormat.SAFE_ID.matcher(tenant).matches()
        || !session.equals(dir.getFileName().toString())) {
      return null;
    }
    return new SessionFolder(dir, tenant, session);
  }

  /** Every session folder in the spool. */
  static List<Path> list(Path spool) throws IOException {
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(spool)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  Path dir() {
    return dir;
  }

  String tenant() {
    return tenant;
  }

  String sessionId() {
    return sessionId;
  }

  Path journal(String name) {
    return dir.resolve(name + JOURNAL_SUFFIX);
  }

  List<Path> journals() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(JOURNAL_SUFFIX)).toList();
    }
  }

  /** Sealed segments present in the folder, by index. */
  TreeMap<Long, Path> segments() throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(
          p -> {
            long index = RecordingFormat.segmentIndexOf(p.getFileName().toString());
            if (index > 0) {
              segments.put(index, p);
            }
          });
    }
    return segments;
  }

  Path manifest() {
    return dir.resolve(RecordingFormat.MANIFEST_NAME);
  }

  boolean isClosed() {
    return Files.exists(manifest());
  }

  /** Writes a sealed segment durably (fsync'd before the rename that makes it visible). */
  void write(SealedSegment segment) throws IOException {
    DurableFiles.writeAtomically(
        dir.resolve(RecordingFormat.segmentName(segment.index())), segment.bytes());
  }

  /** Writes the manifest durably; from then on the session is closed in the spool. */
  void write(Manifest manifest) throws IOException {
    DurableFiles.writeAtomically(manifest(), manifest.bytes());
  }

  /** Removes leftovers of interrupted writes. */
  void removeTemporaryFiles() throws IOException {
    List<Path> tmp = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(tmp::add);
    }
    for (Path p : tmp) {
      Files.deleteIfExists(p);
    }
  }

  /** Deletes the folder and everything left in it. */
  void delete() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}
