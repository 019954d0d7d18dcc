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
  }

  void startDetector(int detectorIndex) {
    currentDetector = detectorIndex;
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
    starts[count] = start;
    ends[count] = end;
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
