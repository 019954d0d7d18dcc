package dev.ward.policy.masking;

import java.util.Arrays;

/**
 * Per-thread scratch space for one masking pass: keyword hits and the spans detectors report. It is
 * reused across calls so that scanning clean text allocates nothing.
 */
public final class Findings {
  private static final ThreadLocal<Findings> PER_THREAD = ThreadLocal.withInitial(Findings::new);

  final long[] hits = new long[8];
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int[] detectors = new int[16];
  private int count;
  private int currentDetector;
  private int offset;
  private int[] hitDetectors = new int[64];
  private int[] hitEnds = new int[64];
  private int hitCount;

  /** Scratch for the calling thread, cleared. */
  static Findings forThisThread(int detectorCount) {
    Findings f = PER_THREAD.get();
    if (detectorCount > f.hits.length * 64) {
      throw new IllegalStateException("too many detectors: " + detectorCount);
    }
    f.clear();
    return f;
  }

  /** A fresh, unshared instance (for nested use and tests). */
  public static Findings fresh() {
    return new Findings();
  }

  void clear() {
    Arrays.fill(hits, 0L);
    count = 0;
    hitCount = 0;
    offset = 0;
  }

  void startDetector(int detectorIndex) {
    currentDetector = detectorIndex;
    offset = 0;
  }

  /** Spans reported from now on are relative to a window starting at {@code offset}. */
  void windowAt(int offset) {
    this.offset = offset;
  }

  /** Records that a keyword of {@code detector} ends at {@code end} (exclusive). */
  void keywordAt(int detector, int end) {
    hits[detector >>> 6] |= 1L << (detector & 63);
    if (hitCount == hitDetectors.length) {
      hitDetectors = Arrays.copyOf(hitDetectors, hitCount * 2);
      hitEnds = Arrays.copyOf(hitEnds, hitCount * 2);
    }
    hitDetectors[hitCount] = detector;
    hitEnds[hitCount] = end;
    hitCount++;
  }

  int hitCount() {
    return hitCount;
  }

  int hitDetector(int i) {
    return hitDetectors[i];
  }

  int hitEnd(int i) {
    return hitEnds[i];
  }

  boolean hit(int detectorIndex) {
    return (hits[detectorIndex >>> 6] & (1L << (detectorIndex & 63))) != 0;
  }

  /** Reports that {@code [start, end)} of the text holds a sensitive value. */
  public void add(int start, int end) {
    if (start < 0 || end <= start) {
      return;
    }
    if (count == starts.length) {
      int grown = count * 2;
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
      detectors = Arrays.copyOf(detectors, grown);
    }
    starts[count] = start + offset;
    ends[count] = end + offset;
    detectors[count] = currentDetector;
    count++;
  }

  /** Number of spans reported so far. */
  public int count() {
    return count;
  }

  /** Start offset of span {@code i}. */
  public int start(int i) {
    return starts[i];
  }

  /** End offset (exclusive) of span {@code i}. */
  public int end(int i) {
    return ends[i];
  }

  /** Index of the detector that reported span {@code i}. */
  public int detector(int i) {
    return detectors[i];
  }
}
