package dev.ward.agent.recorder;

import dev.ward.proto.recording.v1.Event;
import dev.ward.recording.EventFrames;
import dev.ward.recording.RecordingFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The events of one segment-to-be, appended into a memory-mapped spool file. An append is a copy
 * into shared memory, not a system call, so it does not block an event loop; yet the bytes belong
 * to the kernel as soon as it returns, so a {@code kill -9} of the agent loses nothing appended.
 * (Power loss is covered by the fsync at segment seal, and for strict sessions by regular {@link
 * #force()}.)
 *
 * <p>Layout: {@code "WARDJNL1"}, the segment index (big-endian u64, 0 while free), then framed
 * events exactly as in a segment payload, then zeros. Journals are recycled after their segment is
 * sealed, so a session maps at most a few files.
 */
final class Journal {

  static final int HEADER_BYTES = 16;
  private static final byte[] MAGIC = "WARDJNL1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZEROS = new byte[64 << 10];

  private final Path file;
  private final MappedByteBuffer map;
  private final int capacity;
  private long index;
  private int position = HEADER_BYTES;
  private long firstSeq;
  private long lastSeq;
  private long firstAppendNanos;

  private Journal(Path file, MappedByteBuffer map, int capacity) {
    this.file = file;
    this.map = map;
    this.capacity = capacity;
  }

  /**
   * Creates a free journal file of {@code capacity} bytes. With {@code preallocate} its blocks are
   * written and fsync'd now, so a full disk shows here and not in the middle of a session.
   */
  static Journal create(Path file, int capacity, boolean preallocate) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      if (preallocate) {
        long at = 0;
        while (at < capacity) {
          at +=
              ch.write(ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, capacity - at)), at);
        }
        ch.force(true);
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      map.put(0, MAGIC);
      return new Journal(file, map, capacity);
    }
  }

  /** Starts collecting the events of segment {@code index}. */
  void begin(long index) {
    this.index = index;
    map.putLong(MAGIC.length, index);
  }

  /** Appends one event; false when it does not fit (nothing is written then). */
  boolean append(Event event, long nowNanos) {
    int frame = EventFrames.frameSize(event);
    if (position + frame > capacity) {
      return false;
    }
    EventFrames.write(event, map.duplicate().position(position));
    if (firstSeq == 0) {
      firstSeq = event.getSeq();
      firstAppendNanos = nowNanos;
    }
    lastSeq = event.getSeq();
    position += frame;
    return true;
  }

  /** The framed events, without copying. */
  ByteBuffer payload() {
    return map.slice(HEADER_BYTES, position - HEADER_BYTES);
  }

  int payloadBytes() {
    return position - HEADER_BYTES;
  }

  boolean isEmpty() {
    return firstSeq == 0;
  }

  long index() {
    return index;
  }

  long firstSeq() {
    return firstSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  long firstAppendNanos() {
    return firstAppendNanos;
  }

  Path file() {
    return file;
  }

  /**
   * Flushes appended events to the disk (strict sessions). Safe while another thread appends: the
   * kernel writes whatever pages are dirty at that moment.
   */
  void force() {
    map.force();
  }

  /** Frees the journal after its segment was sealed: zeroed, so a restart finds it empty. */
  void clear() {
    for (int at = HEADER_BYTES; at < position; at += ZEROS.length) {
      map.put(at, ZEROS, 0, Math.min(ZEROS.length, position - at));
    }
    map.putLong(MAGIC.length, 0);
    index = 0;
    position = HEADER_BYTES;
    firstSeq = 0;
    lastSeq = 0;
  }

  /** What a journal file held when the agent stopped. */
  record Leftover(Path file, long index, List<Event> events) {}

  /**
   * Reads a journal file left by a stopped agent: its index and every complete event, stopping at
   * the first zero, torn or out-of-sequence frame.
   */
  static Leftover read(Path file, int maxBytes) throws IOException {
    byte[] bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int size = (int) Math.min(ch.size(), maxBytes);
      ByteBuffer buf = ByteBuffer.allocate(size);
      while (buf.hasRemaining() && ch.read(buf) > 0) {}
      bytes = buf.array();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < HEADER_BYTES || !Arrays.equals(bytes, 0, 8, MAGIC, 0, 8)) {
      return new Leftover(file, 0, List.of());
    }
    long index = in.getLong(MAGIC.length);
    List<Event> events = new ArrayList<>();
    int at = HEADER_BYTES;
    while (at + EventFrames.PREFIX_BYTES <= bytes.length) {
      int size = in.getInt(at);
      if (size <= 0
          || size > RecordingFormat.MAX_EVENT_BYTES
          || at + EventFrames.PREFIX_BYTES + size > bytes.length) {
        break;
      }
      try {
        Event e = Event.parseFrom(in.slice(at + EventFrames.PREFIX_BYTES, size));
        if (!events.isEmpty() && e.getSeq() != events.get(events.size() - 1).getSeq() + 1) {
          break;
        }
        events.add(e);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        break;
      }
      at += EventFrames.PREFIX_BYTES + size;
    }
    return new Leftover(file, index, events);
  }
}
