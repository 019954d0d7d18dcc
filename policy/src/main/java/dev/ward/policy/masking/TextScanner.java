package dev.ward.policy.masking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a set of detectors over a text: the keyword automaton first, then only the detectors whose
 * keyword occurred, plus the always-on scanners. Overlapping findings are merged into one span
 * (never leaving part of a secret visible), credited to the strongest detector.
 */
public final class TextScanner {
  private final Detector[] detectors;
  private final int[] keywordDetectors;
  private final int[] alwaysOn;

  private static final Detector.Trigger[] TRIGGERS = Detector.Trigger.values();

  /** Keyword-less detectors gated by a trigger, by the trigger's ordinal. */
  private final int[][] triggered;

  private final KeywordAutomaton automaton;

  /** A scanner over these detectors; their index in the list identifies them in {@link Spans}. */
  public TextScanner(List<Detector> detectors) {
    this.detectors = detectors.toArray(Detector[]::new);
    List<List<String>> keywords = new ArrayList<>();
    List<Integer> withKeywords = new ArrayList<>();
    List<Integer> always = new ArrayList<>();
    for (int i = 0; i < this.detectors.length; i++) {
      List<String> k = this.detectors[i].keywords();
      keywords.add(k);
      (k.isEmpty() ? always : withKeywords).add(i);
    }
    this.automaton = KeywordAutomaton.build(keywords);
    this.keywordDetectors = withKeywords.stream().mapToInt(Integer::intValue).toArray();
    this.alwaysOn =
        always.stream()
            .filter(d -> this.detectors[d].trigger() == Detector.Trigger.EVERYWHERE)
            .mapToInt(Integer::intValue)
            .toArray();
    this.triggered = new int[TRIGGERS.length][];
    for (Detector.Trigger t : TRIGGERS) {
      triggered[t.ordinal()] =
          always.stream()
              .filter(d -> t != Detector.Trigger.EVERYWHERE && this.detectors[d].trigger() == t)
              .mapToInt(Integer::intValue)
              .toArray();
    }
  }

  /** The detector at {@code index}. */
  public Detector detector(int index) {
    return detectors[index];
  }

  /** Whether this scanner has no detectors at all. */
  public boolean isEmpty() {
    return detectors.length == 0;
  }

  /**
   * Finds the sensitive spans of a text.
   *
   * @return the merged spans, or {@code null} when there are none (no allocation in that case)
   */
  public Spans scan(CharSequence text) {
    if (detectors.length == 0 || text.isEmpty()) {
      return null;
    }
    Findings findings = Findings.forThisThread(detectors.length);
    int n = text.length();
    byte[] bytes = findings.lowBytes(text);
    if (keywordDetectors.length > 0 && automaton.scan(bytes, n, findings)) {
      for (int d : keywordDetectors) {
        if (findings.hit(d)) {
          findings.startDetector(d);
          if (detectors[d].anchored()) {
            detectAtKeywords(text, d, findings);
          } else if (detectors[d].windowed()) {
            detectInWindows(text, d, findings);
          } else {
            detectors[d].detect(text, findings);
          }
        }
      }
    }
    for (int d : alwaysOn) {
      findings.startDetector(d);
      detectors[d].detect(text, findings);
    }
    boolean windowsKnown = false;
    for (int t = 0; t < triggered.length; t++) {
      if (triggered[t].length == 0) {
        continue;
      }
      if (!windowsKnown) {
        findings.triggers.compute(bytes, n);
        windowsKnown = true;
      }
      detectInTriggerWindows(text, TRIGGERS[t], triggered[t], findings);
    }
    if (findings.count() == 0) {
      return null;
    }
    return merge(findings);
  }

  /**
   * Runs detector {@code d} on the windows around its keyword occurrences, merged where they
   * overlap. A window's edges are moved off the middle of a token, so that word boundaries in the
   * detector's expression see the same text they would in the whole.
   */
  private void detectInWindows(CharSequence text, int d, Findings findings) {
    Detector detector = detectors[d];
    int n = text.length();
    int windowStart = -1;
    int windowEnd = -1;
    int hits = findings.hitCount();
    for (int h = 0; h < hits; h++) {
      if (findings.hitDetector(h) != d) {
        continue;
      }
      int keywordEnd = findings.hitEnd(h);
      int start = Math.max(0, keywordEnd - detector.windowBefore());
      int after = detector.windowAfter();
      int end = after == Integer.MAX_VALUE ? n : (int) Math.min(n, (long) keywordEnd + after);
      if (windowEnd >= 0 && start <= windowEnd) {
        windowEnd = Math.max(windowEnd, end);
        continue;
      }
      if (windowEnd >= 0) {
        runWindow(text, detector, windowStart, windowEnd, findings);
      }
      windowStart = start;
      windowEnd = end;
    }
    if (windowEnd >= 0) {
      runWindow(text, detector, windowStart, windowEnd, findings);
    }
  }

  /** Runs anchored detector {@code d} at each of its keyword occurrences, in text order. */
  private void detectAtKeywords(CharSequence text, int d, Findings findings) {
    Detector detector = detectors[d];
    int resumeAt = 0;
    int hits = findings.hitCount();
    for (int h = 0; h < hits; h++) {
      if (findings.hitDetector(h) == d && findings.hitEnd(h) >= resumeAt) {
        resumeAt = detector.detectAt(text, findings.hitEnd(h), findings);
      }
    }
  }

  /**
   * Runs the keyword-less detectors of one trigger on the windows it found, moved to token edges
   * and merged where they then overlap; each window is cut out once for all of them.
   */
  private void detectInTriggerWindows(
      CharSequence text, Detector.Trigger trigger, int[] group, Findings findings) {
    TriggerWindows windows = findings.triggers;
    int count = windows.count(trigger);
    int runStart = -1;
    int runEnd = -1;
    int runWeight = 0;
    for (int w = 0; w < count; w++) {
      int s = TextWindow.backToTokenEdge(text, windows.start(trigger, w));
      int e = TextWindow.forwardToTokenEdge(text, windows.end(trigger, w));
      if (runEnd >= 0 && s <= runEnd) {
        runEnd = Math.max(runEnd, e);
        runWeight = Math.max(runWeight, windows.weight(trigger, w));
        continue;
      }
      if (runEnd >= 0) {
        runGroup(text, trigger, group, runStart, runEnd, runWeight, findings);
      }
      runStart = s;
      runEnd = e;
      runWeight = windows.weight(trigger, w);
    }
    if (runEnd >= 0) {
      runGroup(text, trigger, group, runStart, runEnd, runWeight, findings);
    }
  }

  private void runGroup(
      CharSequence text,
      Detector.Trigger trigger,
      int[] group,
      int start,
      int end,
      int weight,
      Findings findings) {
    CharSequence window = null;
    for (int d : group) {
      if (trigger == Detector.Trigger.DIGITS && weight < detectors[d].minDigits()) {
        continue;
      }
      if (window == null) {
        // a String window is copied: detectors then read one final class, which they do fastest
        window =
            start == 0 && end == text.length()
                ? text
                : text instanceof String str
                    ? str.substring(start, end)
                    : new TextWindow(text, start, end);
      }
      findings.startDetector(d);
      findings.windowAt(start);
      detectors[d].detect(window, findings);
    }
    findings.windowAt(0);
  }

  private static void runWindow(
      CharSequence text, Detector detector, int start, int end, Findings findings) {
    int s = TextWindow.backToTokenEdge(text, start);
    int e = TextWindow.forwardToTokenEdge(text, end);
    findings.windowAt(s);
    detector.detect(s == 0 && e == text.length() ? text : new TextWindow(text, s, e), findings);
    findings.windowAt(0);
  }

  private Spans merge(Findings f) {
    int n = f.count();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(f.start(a), f.start(b)));
    int[] starts = new int[n];
    int[] ends = new int[n];
    int[] winners = new int[n];
    int spans = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (spans > 0 && f.start(i) < ends[spans - 1]) {
        int s = spans - 1;
        if (better(f, i, winners[s], starts[s], ends[s])) {
          winners[s] = f.detector(i);
        }
        ends[s] = Math.max(ends[s], f.end(i));
      } else {
        starts[spans] = f.start(i);
        ends[spans] = f.end(i);
        winners[spans] = f.detector(i);
        spans++;
      }
    }
    return new Spans(
        Arrays.copyOf(starts, spans), Arrays.copyOf(ends, spans), Arrays.copyOf(winners, spans));
  }

  private boolean better(Findings f, int candidate, int current, int spanStart, int spanEnd) {
    int pc = detectors[f.detector(candidate)].priority();
    int pw = detectors[current].priority();
    if (pc != pw) {
      return pc < pw;
    }
    return f.end(candidate) - f.start(candidate) > spanEnd - spanStart;
  }

  /** Sorted, non-overlapping sensitive spans and the detector credited with each. */
  public record Spans(int[] starts, int[] ends, int[] detectors) {
    /** Number of spans. */
    public int size() {
      return starts.length;
    }
  }
}
