package dev.ward.recording;

import dev.ward.proto.recording.v1.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Yields a recorded session's events in order, for replay. Reads and inflates one segment at a time
 * with every length bounded, so hostile input cannot make it allocate beyond the format limits. It
 * checks sequence continuity but not signatures: run {@link RecordingVerifier} first when the
 * source is not already trusted.
 */
public final class RecordingReader {

  /** Receives events in order. */
  @FunctionalInterface
  public interface EventHandler {
    void accept(Event event) throws IOException;
  }

  private final RecordingSource source;

  public RecordingReader(RecordingSource source) {
    this.source = source;
  }

  /** Hands every event, in sequence order, to the handler. */
  public void forEachEvent(EventHandler handler) throws IOException, MalformedRecordingException {
    read(0, Long.MAX_VALUE, handler);
  }

  /**
   * Up to {@code maxEvents} events with {@code seq > afterSeq}, in order: one page of a replay.
   * Segments that end at or before {@code afterSeq} are parsed for their header but not inflated.
   */
  public List<Event> page(long afterSeq, int maxEvents)
      throws IOException, MalformedRecordingException {
    List<Event> events = new ArrayList<>();
    read(afterSeq, maxEvents, events::add);
    return events;
  }

  private void read(long afterSeq, long maxEvents, EventHandler handler)
      throws IOException, MalformedRecordingException {
    TreeMap<Long, String> names = new TreeMap<>();
    for (String name : source.names()) {
      long index = RecordingFormat.segmentIndexOf(name);
      if (index >= 1) {
        names.put(index, name);
      }
    }
    long expectedIndex = 1;
    long nextSeq = 1;
    long handed = 0;
    for (var entry : names.entrySet()) {
      if (handed >= maxEvents) {
        return;
      }
      if (entry.getKey() != expectedIndex) {
        throw new MalformedRecordingException("segment " + expectedIndex + " is missing");
      }
      byte[] bytes =
          source
              .read(entry.getValue(), RecordingFormat.MAX_SEGMENT_BYTES)
              .orElseThrow(() -> new IOException(entry.getValue() + " disappeared while reading"));
      Segment segment = Segment.parse(bytes);
      SegmentHeader h = segment.header();
      if (h.index() != expectedIndex || h.firstSeq() != nextSeq) {
        throw new MalformedRecordingException(
            "segment " + expectedIndex + " does not continue the recording");
      }
      if (h.lastSeq() > afterSeq) {
        for (Event e :
            EventFrames.decode(EventFrames.inflate(segment), h.firstSeq(), h.lastSeq())) {
          if (e.getSeq() > afterSeq && handed < maxEvents) {
            handler.accept(e);
            handed++;
          }
        }
      }
      nextSeq = h.lastSeq() + 1;
      expectedIndex++;
    }
  }

  /** Every event, in order, failing when there are more than {@code maxEvents}. */
  public List<Event> readAll(int maxEvents) throws IOException, MalformedRecordingException {
    List<Event> events = new ArrayList<>();
    forEachEvent(
        e -> {
          if (events.size() >= maxEvents) {
            throw new IOException("recording has more than " + maxEvents + " events");
          }
          events.add(e);
        });
    return events;
  }
}
