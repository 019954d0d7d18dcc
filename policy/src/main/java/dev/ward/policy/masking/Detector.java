package dev.ward.policy.masking;

import java.util.List;

/**
 * Finds one kind of sensitive value (a secret family, a kind of personal data, a tenant rule) in
 * text. Implementations are immutable and thread-safe.
 */
public interface Detector {

  /** The rule id reported in the masking manifest and in redactions, e.g. {@code github-pat}. */
  String ruleId();

  /**
   * Case-insensitive ASCII keywords; the detector runs only on text that contains one. An empty
   * list means the detector always runs, so it must then be a cheap hand-written scanner.
   */
  List<String> keywords();

  /** Reports each sensitive span in {@code text} to {@code out}. */
  void detect(CharSequence text, Findings out);

  /**
   * Whether the detector may run on windows of text around its keyword occurrences instead of the
   * whole text (true for expression-based detectors, whose cost grows with the text they scan).
   */
  default boolean windowed() {
    return false;
  }

  /** How far a match may start before its keyword, for windowed detectors. */
  default int windowBefore() {
    return 64;
  }

  /** How far a match may end after its keyword; {@link Integer#MAX_VALUE} for unbounded. */
  default int windowAfter() {
    return 320;
  }

  /**
   * Whether the detector works from each occurrence of its keywords ({@link #detectAt}) rather than
   * scanning text: cheaper when a keyword pins down where a value starts.
   */
  default boolean anchored() {
    return false;
  }

  /**
   * For {@link #anchored()} detectors: reports the sensitive spans tied to the keyword occurrence
   * that ends at {@code keywordEnd} (exclusive). Occurrences arrive in text order.
   *
   * @return a position up to which later occurrences add nothing (they are skipped when they end
   *     before it), or {@code keywordEnd}
   */
  default int detectAt(CharSequence text, int keywordEnd, Findings out) {
    throw new UnsupportedOperationException(ruleId() + " is not anchored at its keywords");
  }

  /**
   * For detectors without keywords: what a text must contain near a value for this detector to find
   * one there. The scanner then runs it only on windows around such places, found in one shared
   * pass; {@link Trigger#EVERYWHERE} runs it over all of the text.
   */
  default Trigger trigger() {
    return Trigger.EVERYWHERE;
  }

  /**
   * For {@link Trigger#DIGITS} detectors: the fewest digits a value holds (at least 4). Windows
   * whose digit clusters are all smaller are skipped.
   */
  default int minDigits() {
    return 4;
  }

  /** Cheap character evidence that gates keyword-less detectors. */
  enum Trigger {
    /** No gate: the detector scans all text. */
    EVERYWHERE,
    /** At least four ASCII digits, each within twelve characters of the previous one. */
    DIGITS,
    /** At least two colons, each within six characters of the previous one. */
    COLONS,
    /** A run of at least 32 hex digits. */
    HEX_RUN
  }

  /** How strongly this detector's findings win over overlapping ones: lower wins. */
  default int priority() {
    return Priority.FAMILY;
  }

  /** Priorities of detector kinds. */
  final class Priority {
    /** A named secret family or a tenant rule with a precise format. */
    public static final int FAMILY = 0;

    /** Personal data. */
    public static final int PERSONAL = 1;

    /** Generic assignments and connection strings, which overlap named families. */
    public static final int GENERIC = 2;

    private Priority() {}
  }
}
