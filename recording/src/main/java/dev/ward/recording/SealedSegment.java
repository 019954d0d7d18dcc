package dev.ward.recording;

/**
 * A segment just written by {@link SegmentWriter}: the file bytes and the hash the next segment
 * chains to.
 *
 * @param index its index in the session
 * @param firstSeq first event inside
 * @param lastSeq last event inside
 * @param bytes the complete segment file
 * @param hash SHA-256 of {@code bytes}
 */
public record SealedSegment(long index, long firstSeq, long lastSeq, byte[] bytes, byte[] hash) {}
