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

  /**
   * Character class of each ASCII character: one class per character that occurs in a keyword
   * (upper and lower case share one), class 0 for all others, indexed by the character's low byte.
   * Non-ASCII characters are class 0.
   */
  private final byte[] classOf;

  /**
   * Goto table over character classes, {@code next[state + class]}: states are numbered by the
   * offset of their row, the failure function is folded in, and a negative entry is the complement
   * of a state in which some keyword ends. A step is one small-table lookup, so the table stays in
   * cache.
   */
  private final int[] next;

  /** Detector indexes whose keyword ends in each state, by row (failure outputs merged). */
  private final int[][] outputs;

  /** Columns of {@link #next}: a state's row offset divided by this is its row. */
  private final int classes;

  private final int detectorCount;

  private KeywordAutomaton(
      byte[] classOf, int[] next, int classes, int[][] outputs, int detectorCount) {
    this.classOf = classOf;
    this.classes = classes;
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
    return compress(next, out, states, keywordsByDetector.size());
  }

  /** Narrows the 128-column table to the characters keywords use, folding ASCII case. */
  private static KeywordAutomaton compress(
      int[] wide, List<List<Integer>> out, int states, int detectorCount) {
    byte[] classOf = new byte[256];
    int[] representative = new int[ALPHABET];
    int classes = 1;
    for (int c = 0; c < ALPHABET; c++) {
      if (c >= 'A' && c <= 'Z') {
        continue;
      }
      boolean used = false;
      for (int s = 0; s < states && !used; s++) {
        used = wide[s * ALPHABET + c] != 0;
      }
      if (used) {
        representative[classes] = c;
        classOf[c] = (byte) classes++;
      }
    }
    for (int c = 'A'; c <= 'Z'; c++) {
      classOf[c] = classOf[c + 32];
    }
    int[][] outputs = new int[states][];
    int[] next = new int[states * classes];
    for (int s = 0; s < states; s++) {
      for (int k = 0; k < classes; k++) {
        // class 0: no keyword continues with this character, and none starts with it
        int to = k == 0 ? 0 : wide[s * ALPHABET + representative[k]];
        next[s * classes + k] = out.get(to).isEmpty() ? to * classes : ~(to * classes);
      }
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).toArray();
    }
    return new KeywordAutomaton(classOf, next, classes, outputs, detectorCount);
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
      if (state < 0) {
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
      if (state < 0) {
        state = ~state;
        any = true;
        for (int d : outputs[state / classes]) {
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
      if (state < 0) {
        state = ~state;
        any = true;
        for (int d : outputs[state / classes]) {
          hits[d >>> 6] |= 1L << (d & 63);
        }
      }
    }
    return any;
  }

  /** The next state (negative: the complement of a state where a keyword ends). */
  private int step(int state, char c) {
    // no keyword contains a non-ASCII character
    return next[state + (c < ALPHABET ? classOf[c] : 0)];
  }

  /**
   * Like {@link #scan(CharSequence, Findings)}, over the low bytes of the text's characters (see
   * {@link Findings#lowBytes}). A non-ASCII character whose low byte is ASCII can only add a
   * spurious occurrence, which costs a detector run but never hides a keyword: keywords are ASCII.
   */
  boolean scan(byte[] text, int length, Findings findings) {
    boolean any = false;
    int state = 0;
    for (int i = 0; i < length; i++) {
      state = next[state + classOf[text[i] & 0xff]];
      if (state < 0) {
        state = ~state;
        any = true;
        for (int d : outputs[state / classes]) {
          findings.keywordAt(d, i + 1);
        }
      }
    }
    return any;
  }
}
