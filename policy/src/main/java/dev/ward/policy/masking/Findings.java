package dev.ward.policy.masking;

import java.util.Arrays;

/**
 * Per-thread scratch space for one masking pass: keyword hits and the spans detectors report. It is
 * reused across calls so that scanning clean text allocates nothing.
 */
public final class Findings {
  private static final ThreadLocal<Findings> PER_THREAD = ThreadLocal.withInitial(Findings::new);

  final long[] hits = new long[8];

  /** Windows of keyword-less detectors, computed once per text when one needs them. */
  final TriggerWindows triggers = new TriggerWindows();

  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int[] detectors = new int[16];
  private int count;
  private int currentDetector;
  private int offset;
  private int[] hitDetectors = new int[64];
  private int[] hitEnds = new int[64];
  private int hitCount;

  /** Longest text whose low bytes are kept in the per-thread buffer between calls. */
  private static final int MAX_KEPT_BYTES = 1 << 20;

  private byte[] lowBytes = new byte[1024];

  /**
   * The low byte of each character of {@code text}, in a buffer reused by this thread: a compact
   * form for the passes that only look for ASCII (keywords, digits, colons, hex), read without
   * per-character calls. Non-ASCII characters keep their low byte only, so callers must treat a
   * match that involves one as a hint, never as evidence of absence.
   */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies low bytes
  byte[] lowBytes(CharSequence text) {
    int n = text.length();
    byte[] b = lowBytes;
    if (n > b.length) {
      b = new byte[Math.max(n, Math.min(MAX_KEPT_BYTES, b.length * 2))];
      if (b.length <= MAX_KEPT_BYTES) {
        lowBytes = b;
      }
    }
    if (text instanceof String s) {
      s.getBytes(0, n, b, 0);
    } else {
      for (int i = 0; i < n; i++) {
        b[i] = (byte) text.charAt(i);
      }
    }
    return b;
  }

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
