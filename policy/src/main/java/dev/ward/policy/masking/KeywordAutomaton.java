package dev.ward.policy.masking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Aho-Corasick automaton over lower-cased ASCII that tells which detectors have a keyword in a
 * text, in one pass and without allocating. Clean text therefore costs one table walk: only the
 * detectors whose keyword occurs run their (more expensive) expressions.
 */
public final class KeywordAutomaton {
  private static final int ALPHABET = 128;

  /** Dense goto table: {@code next[state * 128 + ch]}; the failure function is folded in. */
  private final int[] next;

  /** Detector indexes whose keyword ends in each state (failure outputs merged), or null. */
  private final int[][] outputs;

  private final int detectorCount;

  private KeywordAutomaton(int[] next, int[][] outputs, int detectorCount) {
    this.next = next;
    this.outputs = outputs;
    this.detectorCount = detectorCount;
  }

  /**
   * Builds an automaton from one keyword list per detector.
   *
   * @param keywordsByDetector keywords of detector {@code i} at index {@code i}; non-ASCII keywords
   *     are rejected because the scan folds case over ASCII only
   */
  public static KeywordAutomaton build(List<List<String>> keywordsByDetector) {
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    trie.add(newRow());
    out.add(new ArrayList<>());
    for (int detector = 0; detector < keywordsByDetector.size(); detector++) {
      for (String keyword : keywordsByDetector.get(detector)) {
        String lower = keyword.toLowerCase(Locale.ROOT);
        if (lower.isEmpty()) {
          throw new IllegalArgumentException("empty keyword");
        }
        int state = 0;
        for (int i = 0; i < lower.length(); i++) {
          char c = lower.charAt(i);
          if (c >= ALPHABET) {
            throw new IllegalArgumentException("keyword is not ASCII: " + keyword);
          }
          int to = trie.get(state)[c];
          if (to <= 0) {
            trie.add(newRow());
            out.add(new ArrayList<>());
            to = trie.size() - 1;
            trie.get(state)[c] = to;
          }
          state = to;
        }
        if (!out.get(state).contains(detector)) {
          out.get(state).add(detector);
        }
      }
    }
    int states = trie.size();
    int[] next = new int[states * ALPHABET];
    int[] fail = new int[states];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < ALPHABET; c++) {
      int to = trie.get(0)[c];
      if (to > 0) {
        next[c] = to;
        fail[to] = 0;
        queue.add(to);
      }
    }
    while (!queue.isEmpty()) {
      int state = queue.poll();
      for (Integer d : out.get(fail[state])) {
        if (!out.get(state).contains(d)) {
          out.get(state).add(d);
        }
      }
      for (int c = 0; c < ALPHABET; c++) {
        int to = trie.get(state)[c];
        if (to > 0) {
          fail[to] = next[fail[state] * ALPHABET + c];
          next[state * ALPHABET + c] = to;
          queue.add(to);
        } else {
          next[state * ALPHABET + c] = next[fail[state] * ALPHABET + c];
        }
      }
    }
    int[][] outputs = new int[states][];
    for (int s = 0; s < states; s++) {
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).toArray();
    }
    return new KeywordAutomaton(next, outputs, keywordsByDetector.size());
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    Arrays.fill(row, -1);
    return row;
  }

  /** Number of detectors this automaton was built for. */
  public int detectorCount() {
    return detectorCount;
  }

  /** Whether any keyword occurs in the text. */
  public boolean anyMatch(CharSequence text) {
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      state = step(state, text.charAt(i));
      if (outputs[state] != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records in {@code findings} every keyword occurrence (detector and end position).
   *
   * @return whether any keyword occurred
   */
  boolean scan(CharSequence text, Findings findings) {
    boolean any = false;
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      state = step(state, text.charAt(i));
      int[] found = outputs[state];
      if (found != null) {
        any = true;
        for (int d : found) {
          findings.keywordAt(d, i + 1);
        }
      }
    }
    return any;
  }

  /**
   * Marks in {@code hits} (one bit per detector) each detector with a keyword in the text.
   *
   * @return whether any keyword occurred
   */
  public boolean scan(CharSequence text, long[] hits) {
    boolean any = false;
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      state = step(state, text.charAt(i));
      int[] found = outputs[state];
      if (found != null) {
        any = true;
        for (int d : found) {
          hits[d >>> 6] |= 1L << (d & 63);
        }
      }
    }
    return any;
  }

  private int step(int state, char c) {
    if (c >= ALPHABET) {
      // no keyword contains a non-ASCII character
      return 0;
    }
    if (c >= 'A' && c <= 'Z') {
      c = (char) (c + 32);
    }
    return next[state * ALPHABET + c];
  }
}
