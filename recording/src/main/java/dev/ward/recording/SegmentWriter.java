package dev.ward.recording;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Seals a run of framed events into a signed segment: compresses the payload with zlib, writes the
 * header that chains it to the previous segment, and signs. Not thread-safe: it reuses one {@link
 * Deflater}; use one writer per thread.
 */
public final class SegmentWriter implements AutoCloseable {

  private final RecordingSigner signer;
  private final Deflater deflater;

  /**
   * A writer at zlib's fastest level: on the agent sealing runs beside the event loops, and level 1
   * costs a fraction of the default level's CPU for segments of repetitive statements and headers,
   * which it still shrinks several times.
   */
  public SegmentWriter(RecordingSigner signer) {
    this(signer, Deflater.BEST_SPEED);
  }

  public SegmentWriter(RecordingSigner signer, int level) {
    this.signer = signer;
    this.deflater = new Deflater(level);
  }

  /**
   * Seals one segment.
   *
   * @param payload the framed events (see {@link EventFrames}), read from position to limit; a
   *     direct or memory-mapped buffer is compressed in place without copying
   */
  public SealedSegment seal(
      String sessionId,
      long index,
      long firstSeq,
      long lastSeq,
      byte[] previousHash,
      ByteBuffer payload) {
    RecordingFormat.requireSessionId(sessionId);
    int payloadLength = payload.remaining();
    if (payloadLength > RecordingFormat.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("segment payload larger than the format allows");
    }
    if (previousHash.length != RecordingFormat.HASH_BYTES) {
      throw new IllegalArgumentException("previous hash must be 32 bytes");
    }
    int headerSize = SegmentHeader.size(sessionId.getBytes(StandardCharsets.UTF_8).length);
    byte[] out = new byte[headerSize + payloadLength + payloadLength / 500 + 256];
    int compressed = compress(payload, out, headerSize);
    out = Arrays.copyOf(out, headerSize + compressed + RecordingFormat.SIGNATURE_BYTES);
    SegmentHeader header =
        new SegmentHeader(
            sessionId,
            signer.keyId(),
            index,
            firstSeq,
            lastSeq,
            previousHash,
            payloadLength,
            compressed);
    header.writeTo(ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN));
    int signedLength = headerSize + compressed;
    byte[] signature = signer.sign(RecordingFormat.SEGMENT_DOMAIN, out, signedLength);
    System.arraycopy(signature, 0, out, signedLength, signature.length);
    byte[] hash = RecordingFormat.sha256().digest(out);
    return new SealedSegment(index, firstSeq, lastSeq, out, hash);
  }

  private int compress(ByteBuffer payload, byte[] out, int offset) {
    deflater.reset();
    deflater.setInput(payload.duplicate());
    deflater.finish();
    int written = 0;
    while (!deflater.finished()) {
      if (offset + written == out.length) {
        throw new IllegalStateException("compressed payload outgrew its bound");
      }
      written += deflater.deflate(out, offset + written, out.length - offset - written);
    }
    if (written > RecordingFormat.MAX_COMPRESSED_BYTES) {
      throw new IllegalStateException("compressed payload larger than the format allows");
    }
    return written;
  }

  @Override
  public void close() {
    deflater.end();
  }
}
