package dev.ward.agent.recorder;

import dev.ward.recording.EventFrames;
import dev.ward.recording.RecordingFormat;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the recorder cuts and spools recordings.
 *
 * @param spoolDir one folder per session until its objects are uploaded
 * @param segmentBytes a segment is sealed once this many uncompressed event bytes are buffered
 * @param sealInterval … or once its first event is this old, so storage never lags far behind
 * @param journalBytes size of each mapped journal file: room for a full segment, the largest event
 *     and the events that arrive while the sealer catches up
 */
public record RecorderSettings(
    Path spoolDir, int segmentBytes, Duration sealInterval, int journalBytes) {

  public static final int DEFAULT_SEGMENT_BYTES = 256 << 10;
  public static final Duration DEFAULT_SEAL_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_JOURNAL_BYTES = 2 << 20;

  public RecorderSettings {
    if (segmentBytes < 1024 || segmentBytes > RecordingFormat.MAX_PAYLOAD_BYTES / 2) {
      throw new IllegalArgumentException("segmentBytes out of range: " + segmentBytes);
    }
    int minimum =
        Journal.HEADER_BYTES
            + segmentBytes
            + EventFrames.PREFIX_BYTES
            + RecordingFormat.MAX_EVENT_BYTES;
    if (journalBytes < minimum
        || journalBytes > RecordingFormat.MAX_PAYLOAD_BYTES + Journal.HEADER_BYTES) {
      throw new IllegalArgumentException(
          "journalBytes must be between " + minimum + " and the format's payload limit");
    }
    if (sealInterval.isNegative() || sealInterval.isZero()) {
      throw new IllegalArgumentException("sealInterval must be positive");
    }
  }

  /** 256 KiB segments, sealed at least every second. */
  public static RecorderSettings defaults(Path spoolDir) {
    return new RecorderSettings(
        spoolDir, DEFAULT_SEGMENT_BYTES, DEFAULT_SEAL_INTERVAL, DEFAULT_JOURNAL_BYTES);
  }
}
