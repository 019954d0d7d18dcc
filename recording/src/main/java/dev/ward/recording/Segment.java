package dev.ward.recording;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * One segment file as stored: its parsed header, its bytes and their SHA-256 (which the next
 * segment chains to). Parsing checks only structure and bounds; {@link RecordingVerifier} decides
 * whether to trust it.
 */
public final class Segment {

  private final SegmentHeader header;
  private final byte[] bytes;
  private final int payloadOffset;
  private final byte[] hash;

  private Segment(SegmentHeader header, byte[] bytes, int payloadOffset) {
    this.header = header;
    this.bytes = bytes;
    this.payloadOffset = payloadOffset;
    this.hash = RecordingFormat.sha256().digest(bytes);
  }

  /** Parses a segment file, checking every length against the file size and the format limits. */
  public static Segment parse(byte[] bytes) throws MalformedRecordingException {
    if (bytes.length > RecordingFormat.MAX_SEGMENT_BYTES) {
      throw new MalformedRecordingException("segment is larger than the format allows");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    SegmentHeader header = SegmentHeader.readFrom(in);
    int payloadOffset = in.position();
    long expected =
        (long) payloadOffset + header.compressedLength() + RecordingFormat.SIGNATURE_BYTES;
    if (expected != bytes.length) {
      throw new MalformedRecordingException(
          "segment length " + bytes.length + " does not match its header (" + expected + ")");
    }
    return new Segment(header, bytes, payloadOffset);
  }

  public SegmentHeader header() {
    return header;
  }

  /** SHA-256 of the whole segment file. */
  public byte[] hash() {
    return hash.clone();
  }

  /** The stored bytes; callers must not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  /** Whether the signature verifies under {@code key}. */
  public boolean signedBy(PublicKey key) {
    int signed = bytes.length - RecordingFormat.SIGNATURE_BYTES;
    byte[] signature = Arrays.copyOfRange(bytes, signed, bytes.length);
    return TrustedKeys.verify(key, RecordingFormat.SEGMENT_DOMAIN, bytes, signed, signature);
  }

  /** The compressed payload, without copying. */
  ByteBuffer compressedPayload() {
    return ByteBuffer.wrap(bytes, payloadOffset, header.compressedLength()).slice();
  }
}
