package dev.ward.recording;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ward.proto.recording.v1.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The framing of events inside a segment payload (and inside the agent's spool journal): each event
 * is a big-endian u32 length followed by that many bytes of the {@code Event} protobuf.
 */
public final class EventFrames {

  /** Bytes of the length prefix. */
  public static final int PREFIX_BYTES = 4;

  private EventFrames() {}

  /** Bytes one event takes framed. */
  public static int frameSize(Event event) {
    return PREFIX_BYTES + event.getSerializedSize();
  }

  /**
   * Writes one framed event at the buffer's position and advances it. The event bytes are written
   * before the length, so a reader of shared memory that sees a length also sees the whole event (a
   * process killed mid-write leaves a zero length, not a torn event).
   */
  public static void write(Event event, ByteBuffer out) {
    int size = event.getSerializedSize();
    if (size > RecordingFormat.MAX_EVENT_BYTES) {
      throw new IllegalArgumentException("event larger than " + RecordingFormat.MAX_EVENT_BYTES);
    }
    int at = out.position();
    ByteBuffer body = out.duplicate().position(at + PREFIX_BYTES).limit(at + PREFIX_BYTES + size);
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(body);
      event.writeTo(cos);
      cos.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.putInt(at, size);
    out.position(at + PREFIX_BYTES + size);
  }

  /**
   * Decodes the events of a payload and checks they carry the sequence numbers {@code
   * firstSeq..lastSeq} in order, without gaps.
   */
  public static List<Event> decode(ByteBuffer payload, long firstSeq, long lastSeq)
      throws MalformedRecordingException {
    long expected = lastSeq - firstSeq + 1;
    List<Event> events = new ArrayList<>((int) Math.min(expected, 4096));
    ByteBuffer in = payload.duplicate();
    long seq = firstSeq;
    while (in.hasRemaining()) {
      if (in.remaining() < PREFIX_BYTES) {
        throw new MalformedRecordingException("payload ends inside an event length");
      }
      int size = in.getInt();
      if (size < 1 || size > RecordingFormat.MAX_EVENT_BYTES || size > in.remaining()) {
        throw new MalformedRecordingException("event length out of range: " + size);
      }
      Event event;
      try {
        event = Event.parseFrom(in.slice(in.position(), size));
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedRecordingException("event " + seq + " is not a valid Event", e);
      }
      in.position(in.position() + size);
      if (event.getSeq() != seq) {
        throw new MalformedRecordingException(
            "expected event " + seq + " but found event " + event.getSeq());
      }
      if (seq > lastSeq) {
        throw new MalformedRecordingException("more events than the header announces");
      }
      events.add(event);
      seq++;
    }
    if (seq != lastSeq + 1) {
      throw new MalformedRecordingException(
          "header announces events up to " + lastSeq + " but the payload ends at " + (seq - 1));
    }
    return events;
  }

  /**
   * Inflates a segment's payload into exactly the length its header declares: more output than
   * declared (a decompression bomb) or less is an error, and nothing beyond the format limit is
   * ever allocated.
   */
  public static ByteBuffer inflate(Segment segment) throws MalformedRecordingException {
    int declared = segment.header().payloadLength();
    byte[] out = new byte[declared];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(segment.compressedPayload());
      int n = 0;
      while (n < declared && !inflater.finished()) {
        int got = inflater.inflate(out, n, declared - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new MalformedRecordingException("compressed payload is truncated");
        }
        n += got;
      }
      if (!inflater.finished()) {
        // Declared length reached but the stream goes on: probe for one more byte.
        byte[] probe = new byte[1];
        if (inflater.inflate(probe) > 0 || !inflater.finished()) {
          throw new MalformedRecordingException(
              "payload inflates to more than its declared " + declared + " bytes");
        }
      }
      if (n != declared) {
        throw new MalformedRecordingException(
            "payload inflates to " + n + " bytes, header declares " + declared);
      }
      if (inflater.getRemaining() != 0) {
        throw new MalformedRecordingException("bytes after the end of the compressed payload");
      }
      return ByteBuffer.wrap(out);
    } catch (DataFormatException e) {
      throw new MalformedRecordingException("payload is not a valid zlib stream", e);
    } finally {
      inflater.end();
    }
  }
}
