package dev.ward.policy.masking;

import java.util.Arrays;

/**
 * The windows of a text in which keyword-less detectors can find anything, computed in one pass:
 * clusters of digits (card numbers, SSNs, phones, IPv4, IBANs), clusters of colons (IPv6) and long
 * hex runs (hex-bodied keys). Clean prose and code hold few such places, so these detectors scan a
 * small part of it. Per-thread scratch, reused so that clean text allocates nothing.
 */
final class TriggerWindows {
  static final int MIN_DIGITS = 4;
  static final int DIGIT_GAP = 12;
  static final int MIN_COLONS = 2;
  static final int COLON_GAP = 6;
  static final int MIN_HEX_RUN = 32;

  /** Context kept around a cluster: leading letters of an IBAN, a phone's + or (, IPv6 groups. */
  private static final int DIGIT_MARGIN = 8;

  private static final int COLON_MARGIN = 48;
  private static final int HEX_MARGIN = 4;

  private static final byte DIGIT = 1;
  private static final byte COLON = 2;
  private static final byte[] CLASS = new byte[256];

  static {
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
    CLASS[':'] = COLON;
  }

  private final Spans[] spans = new Spans[Detector.Trigger.values().length];

  TriggerWindows() {
    for (int i = 0; i < spans.length; i++) {
      spans[i] = new Spans();
    }
  }

  /**
   * Finds the windows of a text from the low bytes of its characters ({@link Findings#lowBytes}): a
   * non-ASCII character can only add a window, never hide one. {@link #count}, {@link #start} and
   * {@link #end} read them.
   */
  void compute(byte[] text, int n) {
    for (Spans s : spans) {
      s.count = 0;
    }
    Spans digitWindows = spans[Detector.Trigger.DIGITS.ordinal()];
    Spans colonWindows = spans[Detector.Trigger.COLONS.ordinal()];
    int digitStart = -1;
    int lastDigit = -DIGIT_GAP - 1;
    int digits = 0;
    int colonStart = -1;
    int lastColon = -COLON_GAP - 1;
    int colons = 0;
    for (int i = 0; i < n; i++) {
      int cls = CLASS[text[i] & 0xff];
      if (cls == 0) {
        continue;
      }
      if (cls == DIGIT) {
        if (i - lastDigit > DIGIT_GAP) {
          if (digits >= MIN_DIGITS) {
            digitWindows.add(digitStart - DIGIT_MARGIN, lastDigit + 1 + DIGIT_MARGIN, n, digits);
          }
          digitStart = i;
          digits = 0;
        }
        digits++;
        lastDigit = i;
      } else {
        if (i - lastColon > COLON_GAP) {
          if (colons >= MIN_COLONS) {
            colonWindows.add(colonStart - COLON_MARGIN, lastColon + 1 + COLON_MARGIN, n, colons);
          }
          colonStart = i;
          colons = 0;
        }
        colons++;
        lastColon = i;
      }
    }
    if (digits >= MIN_DIGITS) {
      digitWindows.add(digitStart - DIGIT_MARGIN, lastDigit + 1 + DIGIT_MARGIN, n, digits);
    }
    if (colons >= MIN_COLONS) {
      colonWindows.add(colonStart - COLON_MARGIN, lastColon + 1 + COLON_MARGIN, n, colons);
    }
    findHexRuns(text, n, spans[Detector.Trigger.HEX_RUN.ordinal()]);
  }

  /**
   * Runs of at least {@link #MIN_HEX_RUN} hex digits. Such a run covers a multiple of that length,
   * so only every {@code MIN_HEX_RUN}-th character is probed, and runs grown from the hex ones.
   */
  private static void findHexRuns(byte[] text, int n, Spans windows) {
    int covered = 0;
    for (int p = MIN_HEX_RUN - 1; p < n; p += MIN_HEX_RUN) {
      if (p < covered || !isHex(text[p])) {
        continue;
      }
      int start = p;
      while (start > covered && isHex(text[start - 1])) {
        start--;
      }
      int end = p + 1;
      while (end < n && isHex(text[end])) {
        end++;
      }
      covered = end;
      if (end - start >= MIN_HEX_RUN) {
        windows.add(start - HEX_MARGIN, end + HEX_MARGIN, n, end - start);
      }
    }
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  int count(Detector.Trigger trigger) {
    return spans[trigger.ordinal()].count;
  }

  int start(Detector.Trigger trigger, int i) {
    return spans[trigger.ordinal()].starts[i];
  }

  int end(Detector.Trigger trigger, int i) {
    return spans[trigger.ordinal()].ends[i];
  }

  /** The most trigger characters one cluster of window {@code i} holds (digits, colons). */
  int weight(Detector.Trigger trigger, int i) {
    return spans[trigger.ordinal()].weights[i];
  }

  /** Sorted windows, merged where they touch. */
  private static final class Spans {
    int[] starts = new int[32];
    int[] ends = new int[32];
    int[] weights = new int[32];
    int count;

    void add(int start, int end, int n, int weight) {
      start = Math.max(0, start);
      end = Math.min(n, end);
      if (count > 0 && start <= ends[count - 1]) {
        ends[count - 1] = Math.max(ends[count - 1], end);
        weights[count - 1] = Math.max(weights[count - 1], weight);
        return;
      }
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
        weights = Arrays.copyOf(weights, count * 2);
      }
      starts[count] = start;
      ends[count] = end;
      weights[count] = weight;
      count++;
    }
  }
}
