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
