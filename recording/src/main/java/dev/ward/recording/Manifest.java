package dev.ward.recording;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * The signed record that closes a session: how many segments and events it has, the hash of its
 * last segment and how it ended. Without it a verifier cannot tell a finished recording from one
 * whose tail was lost.
 *
 * @param sessionId the session
 * @param keyId SHA-256 of the signer's X.509 public key
 * @param endState closed normally or by crash recovery
 * @param segmentCount number of segments, 1 or more
 * @param eventCount number of events (equal to the last sequence number)
 * @param lastSegmentHash SHA-256 of the last segment file
 * @param closedUnixNanos when the recording was closed
 * @param bytes the manifest file, signature included
 */
public record Manifest(
    String sessionId,
    byte[] keyId,
    EndState endState,
    long segmentCount,
    long eventCount,
    byte[] lastSegmentHash,
    long closedUnixNanos,
    byte[] bytes) {

  /** Writes and signs a manifest. */
  public static Manifest sign(
      RecordingSigner signer,
      String sessionId,
      EndState endState,
      long segmentCount,
      long eventCount,
      byte[] lastSegmentHash,
      long closedUnixNanos) {
    RecordingFormat.requireSessionId(sessionId);
    byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
    int signedLength = 8 + 2 + 2 + id.length + 32 + 1 + 8 + 8 + 32 + 8;
    ByteBuffer out = ByteBuffer.allocate(signedLength + RecordingFormat.SIGNATURE_BYTES);
    byte[] keyId = signer.keyId();
    out.put(RecordingFormat.MANIFEST_MAGIC);
    out.putShort((short) RecordingFormat.VERSION);
    out.putShort((short) id.length);
    out.put(id);
    out.put(keyId);
    out.put((byte) endState.code());
    out.putLong(segmentCount);
    out.putLong(eventCount);
    out.put(lastSegmentHash);
    out.putLong(closedUnixNanos);
    byte[] bytes = out.array();
    out.put(signer.sign(RecordingFormat.MANIFEST_DOMAIN, bytes, signedLength));
    return new Manifest(
        sessionId,
        keyId,
        endState,
        segmentCount,
        eventCount,
        lastSegmentHash.clone(),
        closedUnixNanos,
        bytes);
  }

  /** Parses a manifest file, checking its structure and bounds (not its signature). */
  public static Manifest parse(byte[] bytes) throws MalformedRecordingException {
    if (bytes.length > RecordingFormat.MAX_MANIFEST_BYTES) {
      throw new MalformedRecordingException("manifest is larger than the format allows");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      SegmentHeader.expectMagic(in, RecordingFormat.MANIFEST_MAGIC, "manifest");
      int version = Short.toUnsignedInt(in.getShort());
      if (version != RecordingFormat.VERSION) {
        throw new MalformedRecordingException("unsupported manifest format version " + version);
      }
      String sessionId = SegmentHeader.readSessionId(in);
      byte[] keyId = SegmentHeader.bytes(in, RecordingFormat.HASH_BYTES);
      EndState state = EndState.ofCode(Byte.toUnsignedInt(in.get()));
      long segments = in.getLong();
      long events = in.getLong();
      byte[] last = SegmentHeader.bytes(in, RecordingFormat.HASH_BYTES);
      long closed = in.getLong();
      if (in.remaining() != RecordingFormat.SIGNATURE_BYTES) {
        throw new MalformedRecordingException("manifest length does not match its layout");
      }
      if (segments < 1 || events < 1) {
        throw new MalformedRecordingException("manifest counts out of range");
      }
      return new Manifest(sessionId, keyId, state, segments, events, last, closed, bytes);
    } catch (BufferUnderflowException e) {
      throw new MalformedRecordingException("manifest is truncated");
    }
  }

  /** Whether the signature verifies under {@code key}. */
  public boolean signedBy(PublicKey key) {
    int signed = bytes.length - RecordingFormat.SIGNATURE_BYTES;
    byte[] signature = Arrays.copyOfRange(bytes, signed, bytes.length);
    return TrustedKeys.verify(key, RecordingFormat.MANIFEST_DOMAIN, bytes, signed, signature);
  }
}
