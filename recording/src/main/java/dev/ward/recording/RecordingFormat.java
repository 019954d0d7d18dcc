package dev.ward.recording;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.regex.Pattern;

/**
 * The constants of the recording format, version 1: magic numbers, domain-separation prefixes,
 * limits and object names. {@code recording/FORMAT.md} is the normative description of the bytes.
 */
public final class RecordingFormat {

  /** First bytes of every segment file. */
  public static final byte[] SEGMENT_MAGIC = ascii("WARDSEG1");

  /** First bytes of every manifest file. */
  public static final byte[] MANIFEST_MAGIC = ascii("WARDMAN1");

  /** The only format version this code writes and reads. */
  public static final int VERSION = 1;

  /** Prefix of the bytes a segment signature covers: domain separation from other signatures. */
  public static final byte[] SEGMENT_DOMAIN = ascii("ward.recording.v1.segment\0");

  /** Prefix of the bytes a manifest signature covers. */
  public static final byte[] MANIFEST_DOMAIN = ascii("ward.recording.v1.manifest\0");

  /** Prefix of the bytes hashed into the genesis value that the first segment chains to. */
  public static final byte[] GENESIS_DOMAIN = ascii("ward.recording.v1.genesis\0");

  public static final int HASH_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;
  public static final int MAX_SESSION_ID_BYTES = 128;

  /** Largest single event (its protobuf bytes). */
  public static final int MAX_EVENT_BYTES = 1 << 20;

  /** Largest uncompressed payload of one segment: the decompression-bomb bound. */
  public static final int MAX_PAYLOAD_BYTES = 8 << 20;

  /** Largest compressed payload (incompressible data grows slightly under zlib). */
  public static final int MAX_COMPRESSED_BYTES = MAX_PAYLOAD_BYTES + (64 << 10);

  /** Largest segment file: header, payload and signature. */
  public static final int MAX_SEGMENT_BYTES = MAX_COMPRESSED_BYTES + 512;

  /** Largest manifest file. */
  public static final int MAX_MANIFEST_BYTES = 512;

  /** The object (and file) name of the manifest. */
  public static final String MANIFEST_NAME = "manifest.wman";

  /** Session ids and tenant ids are used in file names and object keys, so they are restricted. */
  public static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Pattern SEGMENT_NAME = Pattern.compile("seg-(\\d{6,19})\\.wseg");

  private RecordingFormat() {}

  /** The object (and file) name of segment {@code index}: {@code seg-000001.wseg}. */
  public static String segmentName(long index) {
    return String.format("seg-%06d.wseg", index);
  }

  /** The index in a segment name, or -1 when the name is not a segment name. */
  public static long segmentIndexOf(String name) {
    var m = SEGMENT_NAME.matcher(name);
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The value the first segment of a session chains to: SHA-256(GENESIS_DOMAIN || session id). */
  public static byte[] genesis(String sessionId) {
    MessageDigest sha = sha256();
    sha.update(GENESIS_DOMAIN);
    sha.update(sessionId.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  /** The key id that names a signing key in segments: SHA-256 of its X.509 SPKI encoding. */
  public static byte[] keyId(PublicKey key) {
    return sha256().digest(key.getEncoded());
  }

  /** Checks that a session id fits the format, in a message that says what is wrong. */
  public static void requireSessionId(String sessionId) {
    if (sessionId == null || !SAFE_ID.matcher(sessionId).matches()) {
      throw new IllegalArgumentException(
          "session id must be 1-128 characters of A-Z a-z 0-9 . _ - (starting with a letter or"
              + " digit), got: "
              + (sessionId == null ? "null" : abbreviate(sessionId)));
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
