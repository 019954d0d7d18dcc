package dev.ward.agent.protocol.http;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} body into events as it streams, so each event's data can be
 * masked and recorded before it goes on, and writes events back. One event may hold at most a
 * bounded number of bytes. Not thread-safe; feed it from one event loop.
 */
public final class SseEvents {

  /**
   * One server-sent event.
   *
   * @param fields its lines other than {@code data} ({@code event}, {@code id}, {@code retry},
   *     comments), as received
   * @param data its {@code data} lines joined by line breaks; null when it had none
   */
  public record Event(List<String> fields, String data) {

    public Event {
      fields = List.copyOf(fields);
    }

    /** The same event with other data. */
    public Event withData(String newData) {
      return new Event(fields, newData);
    }

    /** The event in wire form, ending with its blank line. */
    public Buffer encode() {
      StringBuilder out = new StringBuilder();
      for (String f : fields) {
        out.append(f).append('\n');
      }
      if (data != null) {
        for (String line : data.split("\n", -1)) {
          out.append("data: ").append(line).append('\n');
        }
      }
      return Buffer.buffer(out.append('\n').toString(), "UTF-8");
    }
  }

  /** An event grew past the bound. */
  public static final class OversizedEventException extends RuntimeException {
    OversizedEventException(int limit) {
      super("a server-sent event is larger than " + limit + " bytes", null, false, false);
    }
  }

  private final int maxEventBytes;
  private final Consumer<Event> sink;
  private Buffer pending = Buffer.buffer();
  private final List<String> fields = new ArrayList<>();
  private StringBuilder data;
  private int eventBytes;

  public SseEvents(int maxEventBytes, Consumer<Event> sink) {
    this.maxEventBytes = maxEventBytes;
    this.sink = sink;
  }

  /**
   * Feeds bytes; hands every event they complete to the sink.
   *
   * @throws OversizedEventException when an event exceeds the bound
   */
  public void feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < pending.length(); i++) {
      if (pending.getByte(i) == '\n') {
        int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
        line(pending.getString(start, end, "UTF-8"), i + 1 - start);
        start = i + 1;
      }
    }
    pending = pending.getBuffer(start, pending.length());
    if (eventBytes + pending.length() > maxEventBytes) {
      throw new OversizedEventException(maxEventBytes);
    }
  }

  /** Ends the stream: an event left without its blank line is dispatched as it is. */
  public void end() {
    if (pending.length() > 0) {
      line(pending.toString(StandardCharsets.UTF_8), pending.length());
      pending = Buffer.buffer();
    }
    if (data != null || !fields.isEmpty()) {
      dispatch();
    }
  }

  private void line(String line, int bytes) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    eventBytes += bytes;
    if (eventBytes > maxEventBytes) {
      throw new OversizedEventException(maxEventBytes);
    }
    if (line.startsWith("data") && (line.length() == 4 || line.charAt(4) == ':')) {
      String value = line.length() <= 5 ? "" : line.substring(5);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    } else {
      fields.add(line);
    }
  }

  private void dispatch() {
    Event event = new Event(fields, data == null ? null : data.toString());
    fields.clear();
    data = null;
    eventBytes = 0;
    sink.accept(event);
  }
}
