package dev.ward.recording;

import dev.ward.recording.Verdict.Status;
import dev.ward.recording.Verdict.Tamper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a recorded session against the agent keys it trusts: every signature, the hash chain from
 * the genesis value to the manifest, the order and continuity of segments and event sequence
 * numbers, and completeness against the manifest. Reads one segment at a time, so memory stays
 * bounded whatever the recording's size.
 */
public final class RecordingVerifier {

  private final TrustedKeys keys;

  public RecordingVerifier(TrustedKeys keys) {
    this.keys = keys;
  }

  /** Verifies the session stored in a folder (as downloaded from object storage). */
  public static Verdict verifyDirectory(Path dir, Collection<PublicKey> trustedKeys)
      throws IOException {
    return new RecordingVerifier(new TrustedKeys(trustedKeys)).verify(new DirectorySource(dir));
  }

  /**
   * Prints the verdict for a folder: {@code RecordingVerifier <folder> <base64-key>...}. Exits 0
   * when intact, 1 when the tail is missing, 2 when tampered, 64 on wrong usage.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: RecordingVerifier <session folder> <agent public key (Base64 SPKI)>...");
      System.exit(64);
    }
    Verdict v =
        new RecordingVerifier(TrustedKeys.ofBase64(List.of(args).subList(1, args.length)))
            .verify(new DirectorySource(Path.of(args[0])));
    System.out.println(v.describe());
    System.exit(v.intact() ? 0 : v.status() == Status.TAIL_MISSING ? 1 : 2);
  }

  /** What one stored segment file turned out to be. */
  private record Checked(
      long nameIndex,
      SegmentHeader header,
      byte[] hash,
      String malformed,
      boolean keyKnown,
      boolean signatureValid,
      String payloadProblem) {}

  public Verdict verify(RecordingSource source) throws IOException {
    Optional<byte[]> manifestBytes =
        source.read(RecordingFormat.MANIFEST_NAME, RecordingFormat.MAX_MANIFEST_BYTES);
    Manifest manifest = null;
    if (manifestBytes.isPresent()) {
      try {
        manifest = Manifest.parse(manifestBytes.get());
      } catch (MalformedRecordingException e) {
        return Verdict.tampered(
            Tamper.MODIFIED, 0, "", "the manifest is not well-formed: " + e.getMessage());
      }
    }
    TreeMap<Long, Checked> segments = new TreeMap<>();
    for (String name : source.names()) {
      long n = RecordingFormat.segmentIndexOf(name);
      if (n >= 1) {
        source
            .read(name, RecordingFormat.MAX_SEGMENT_BYTES)
            .ifPresent(bytes -> segments.put(n, check(n, bytes)));
      }
    }
    String sessionId = manifest != null ? manifest.sessionId() : likelySession(segments);
    if (segments.isEmpty() && manifest == null) {
      return new Verdict(
          Status.TAIL_MISSING, null, 0, "", 0, 0, "no segments and no manifest were found");
    }
    Verdict found = checkEachSegment(segments, manifest, sessionId);
    if (found == null && manifest != null) {
      found = checkManifestSignature(manifest);
    }
    if (found == null) {
      found = checkChain(segments, manifest, sessionId);
    }
    return found;
  }

  private Checked check(long nameIndex, byte[] bytes) {
    Segment segment;
    try {
      segment = Segment.parse(bytes);
    } catch (MalformedRecordingException e) {
      return new Checked(
          nameIndex,
          null,
          RecordingFormat.sha256().digest(bytes),
          e.getMessage(),
          false,
          false,
          null);
    }
    Optional<PublicKey> key = keys.find(segment.header().keyId());
    boolean valid = key.isPresent() && segment.signedBy(key.get());
    String payloadProblem = null;
    if (valid) {
      try {
        ByteBuffer payload = EventFrames.inflate(segment);
        EventFrames.decode(payload, segment.header().firstSeq(), segment.header().lastSeq());
      } catch (MalformedRecordingException e) {
        payloadProblem = e.getMessage();
      }
    }
    return new Checked(
        nameIndex, segment.header(), segment.hash(), null, key.isPresent(), valid, payloadProblem);
  }

  /** Structure, key and signature of each segment, then the session it belongs to and its name. */
  private Verdict checkEachSegment(
      TreeMap<Long, Checked> segments, Manifest manifest, String sessionId) {
    for (Checked c : segments.values()) {
      if (c.malformed != null) {
        return Verdict.tampered(
            Tamper.MODIFIED,
            c.nameIndex,
            sessionId,
            "segment " + c.nameIndex + " is not a well-formed segment: " + c.malformed);
      }
    }
    for (Checked c : segments.values()) {
      if (!c.keyKnown) {
        return Verdict.tampered(
            Tamper.UNKNOWN_KEY,
            c.nameIndex,
            sessionId,
            "segment "
                + c.nameIndex
                + " is signed by key "
                + shortHex(c.header.keyId())
                + ", which is not a trusted agent key");
      }
      if (!c.signatureValid) {
        byte[] committed = commitmentTo(c.nameIndex, segments, manifest);
        if (committed != null && !MessageDigest.isEqual(committed, c.hash)) {
          return Verdict.tampered(
              Tamper.MODIFIED,
              c.nameIndex,
              sessionId,
              "segment "
                  + c.nameIndex
                  + " was modified: its signature does not verify and its hash is not the one"
                  + " the recording chained to it");
        }
        return Verdict.tampered(
            Tamper.BAD_SIGNATURE,
            c.nameIndex,
            sessionId,
            "the signature of segment " + c.nameIndex + " does not verify");
      }
    }
    for (Checked c : segments.values()) {
      if (!c.header.sessionId().equals(sessionId)) {
        return Verdict.tampered(
            Tamper.FOREIGN_SEGMENT,
            c.nameIndex,
            sessionId,
            "segment "
                + c.nameIndex
                + " belongs to session "
                + c.header.sessionId()
                + ", not to "
                + sessionId);
      }
    }
    for (Checked c : segments.values()) {
      if (c.header.index() != c.nameIndex) {
        return Verdict.tampered(
            Tamper.REORDERED,
            c.nameIndex,
            sessionId,
            RecordingFormat.segmentName(c.nameIndex)
                + " holds segment "
                + c.header.index()
                + ": segments were reordered");
      }
    }
    return null;
  }

  private Verdict checkManifestSignature(Manifest manifest) {
    Optional<PublicKey> key = keys.find(manifest.keyId());
    if (key.isEmpty()) {
      return Verdict.tampered(
          Tamper.UNKNOWN_KEY,
          0,
          manifest.sessionId(),
          "the manifest is signed by key "
              + shortHex(manifest.keyId())
              + ", which is not a trusted agent key");
    }
    if (!manifest.signedBy(key.get())) {
      return Verdict.tampered(
          Tamper.MODIFIED,
          0,
          manifest.sessionId(),
          "the manifest was modified: its signature does not verify");
    }
    return null;
  }

  /** Walks the chain from genesis, then compares its end with the manifest. */
  private Verdict checkChain(TreeMap<Long, Checked> segments, Manifest manifest, String sessionId) {
    byte[] previous = RecordingFormat.genesis(sessionId);
    long expectedIndex = 1;
    long lastSeq = 0;
    for (Checked c : segments.values()) {
      long index = c.header.index();
      if (index != expectedIndex) {
        return Verdict.tampered(
            Tamper.MISSING,
            expectedIndex,
            sessionId,
            "segment "
                + expectedIndex
                + " is missing"
                + (expectedIndex > 1 ? " between segments " + (expectedIndex - 1) + " and " : ": ")
                + (expectedIndex > 1
                    ? String.valueOf(index)
                    : "the recording starts at segment " + index));
      }
      if (!MessageDigest.isEqual(previous, c.header.previousHash())) {
        return index == 1
            ? Verdict.tampered(
                Tamper.MALFORMED, 1, sessionId, "segment 1 does not start from the genesis value")
            : Verdict.tampered(
                Tamper.MODIFIED,
                index - 1,
                sessionId,
                "segment "
                    + (index - 1)
                    + " is not the segment that segment "
                    + index
                    + " was chained to");
      }
      if (c.header.firstSeq() != lastSeq + 1) {
        return Verdict.tampered(
            Tamper.MALFORMED,
            index,
            sessionId,
            "segment "
                + index
                + " starts at event "
                + c.header.firstSeq()
                + " but the previous one ended at event "
                + lastSeq);
      }
      if (c.payloadProblem != null) {
        return Verdict.tampered(
            Tamper.MALFORMED, index, sessionId, "segment " + index + ": " + c.payloadProblem);
      }
      previous = c.hash;
      lastSeq = c.header.lastSeq();
      expectedIndex++;
    }
    long count = expectedIndex - 1;
    if (manifest == null) {
      return new Verdict(
          Status.TAIL_MISSING,
          null,
          count,
          sessionId,
          count,
          lastSeq,
          "segments 1.."
              + count
              + " are intact but there is no manifest: the session may still be open, or its"
              + " later segments were lost");
    }
    if (manifest.segmentCount() > count) {
      return Verdict.tampered(
          Tamper.MISSING,
          count + 1,
          sessionId,
          "the manifest records "
              + manifest.segmentCount()
              + " segments but only "
              + count
              + " are present: the tail was removed");
    }
    if (manifest.segmentCount() < count) {
      return Verdict.tampered(
          Tamper.UNEXPECTED_SEGMENT,
          manifest.segmentCount() + 1,
          sessionId,
          "the manifest closes the session after segment "
              + manifest.segmentCount()
              + " but segment "
              + (manifest.segmentCount() + 1)
              + " follows");
    }
    if (!MessageDigest.isEqual(manifest.lastSegmentHash(), previous)) {
      return Verdict.tampered(
          Tamper.MODIFIED,
          count,
          sessionId,
          "segment " + count + " is not the last segment the manifest closed the session on");
    }
    if (manifest.eventCount() != lastSeq) {
      return Verdict.tampered(
          Tamper.MALFORMED,
          0,
          sessionId,
          "the manifest records "
              + manifest.eventCount()
              + " events but the segments hold "
              + lastSeq);
    }
    boolean recovered = manifest.endState() == EndState.RECOVERED;
    return new Verdict(
        recovered ? Status.INTACT_RECOVERED : Status.INTACT,
        null,
        0,
        sessionId,
        count,
        lastSeq,
        count
            + " segments, "
            + lastSeq
            + " events, chained and signed by a trusted agent key"
            + (recovered ? "; closed by crash recovery after the agent stopped" : ""));
  }

  /** The hash the recording committed to for the segment stored under this name, if any. */
  private static byte[] commitmentTo(long nameIndex, Map<Long, Checked> segments, Manifest m) {
    Checked next = segments.get(nameIndex + 1);
    if (next != null && next.header != null) {
      return next.header.previousHash();
    }
    if (m != null && m.segmentCount() == nameIndex) {
      return m.lastSegmentHash();
    }
    return null;
  }

  /** The session most segments claim, when there is no manifest to say. */
  private static String likelySession(TreeMap<Long, Checked> segments) {
    Map<String, Integer> votes = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (Checked c : segments.values()) {
      if (c.header != null) {
        if (votes.merge(c.header.sessionId(), 1, Integer::sum) == 1) {
          order.add(c.header.sessionId());
        }
      }
    }
    String best = "";
    int bestVotes = 0;
    for (String s : order) {
      if (votes.get(s) > bestVotes) {
        best = s;
        bestVotes = votes.get(s);
      }
    }
    return best;
  }

  private static String shortHex(byte[] keyId) {
    return TrustedKeys.hex(keyId).substring(0, 16);
  }
}
