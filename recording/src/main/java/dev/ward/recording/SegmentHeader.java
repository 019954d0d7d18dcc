package dev.ward.recording;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The signed header of a segment: which session, which key, where in the chain and which events.
 *
 * @param sessionId the session the segment belongs to
 * @param keyId SHA-256 of the signer's X.509 public key
 * @param index 1 for the first segment of a session, then 2, 3 …
 * @param firstSeq sequence number of the first event inside
 * @param lastSeq sequence number of the last event inside
 * @param previousHash SHA-256 of the previous segment file, or the genesis value for index 1
 * @param payloadLength length of the uncompressed payload
 * @param compressedLength length of the zlib payload that follows the header
 */
public record SegmentHeader(
    String sessionId,
    byte[] keyId,
    long index,
    long firstSeq,
    long lastSeq,
    byte[] previousHash,
    int payloadLength,
    int compressedLength) {

  /** Bytes of the header for a session id of {@code sessionIdBytes} UTF-8 bytes. */
  static int size(int sessionIdBytes) {
    return 8 + 2 + 2 + sessionIdBytes + 32 + 8 + 8 + 8 + 32 + 4 + 4;
  }

  /** Number of events inside. */
  public long eventCount() {
    return lastSeq - firstSeq + 1;
  }

  void writeTo(ByteBuffer out) {
    byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
    out.put(RecordingFormat.SEGMENT_MAGIC);
    out.putShort((short) RecordingFormat.VERSION);
    out.putShort((short) id.length);
    out.put(id);
    out.put(keyId);
    out.putLong(index);
    out.putLong(firstSeq);
    out.putLong(lastSeq);
    out.put(previousHash);
    out.putInt(payloadLength);
    out.putInt(compressedLength);
  }

  /** Reads and range-checks a header; the buffer is left at the first payload byte. */
  static SegmentHeader readFrom(ByteBuffer in) throws MalformedRecordingException {
    try {
      expectMagic(in, RecordingFormat.SEGMENT_MAGIC, "segment");
      int version = Short.toUnsignedInt(in.getShort());
      if (version != RecordingFormat.VERSION) {
        throw new MalformedRecordingException("unsupported segment format version " + version);
      }
      String sessionId = readSessionId(in);
      byte[] keyId = bytes(in, RecordingFormat.HASH_BYTES);
      long index = in.getLong();
      long firstSeq = in.getLong();
      long lastSeq = in.getLong();
      byte[] previous = bytes(in, RecordingFormat.HASH_BYTES);
      int payloadLength = in.getInt();
      int compressedLength = in.getInt();
      if (index < 1 || firstSeq < 1 || lastSeq < firstSeq) {
        throw new MalformedRecordingException(
            "segment header has impossible numbers: index "
                + index
                + ", events "
                + firstSeq
                + ".."
                + lastSeq);
      }
      if (payloadLength < 0 || payloadLength > RecordingFormat.MAX_PAYLOAD_BYTES) {
        throw new MalformedRecordingException("segment payload length out of range");
      }
      if (compressedLength < 0 || compressedLength > RecordingFormat.MAX_COMPRESSED_BYTES) {
        throw new MalformedRecordingException("segment compressed length out of range");
      }
      return new SegmentHeader(
          sessionId, keyId, index, firstSeq, lastSeq, previous, payloadLength, compressedLength);
    } catch (BufferUnderflowException e) {
      throw new MalformedRecordingException("segment is shorter than its header");
    }
  }

  static void expectMagic(ByteBuffer in, byte[] magic, String what)
      throws MalformedRecordingException {
    byte[] got = bytes(in, magic.length);
    if (!Arrays.equals(got, magic)) {
      throw new MalformedRecordingException("not a Ward recording " + what + " (bad magic)");
    }
  }

  static String readSessionId(ByteBuffer in) throws MalformedRecordingException {
    int len = Short.toUnsignedInt(in.getShort());
    if (len < 1 || len > RecordingFormat.MAX_SESSION_ID_BYTES) {
      throw new MalformedRecordingException("session id length out of range: " + len);
    }
    byte[] raw = bytes(in, len);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedRecordingException("session id is not UTF-8");
    }
  }

  static byte[] bytes(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
