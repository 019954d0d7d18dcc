package dev.ward.policy.masking;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.function.Predicate;

/**
 * A detector driven by an RE2/J expression (linear time, whatever the input), optionally masking
 * only one capture group and rejecting low-entropy or allow-listed values.
 */
public final class RegexDetector implements Detector {
  private final String ruleId;
  private final List<String> keywords;
  private final Pattern pattern;
  private final int group;
  private final double minEntropy;
  private final Predicate<CharSequence> accept;
  private final int priority;
  private final int windowAfter;

  /** Masks the first capture group that took part in the match (for alternations). */
  public static final int FIRST_MATCHED_GROUP = -1;

  private RegexDetector(Builder b) {
    this.ruleId = b.ruleId;
    this.keywords = List.copyOf(b.keywords);
    this.pattern = Pattern.compile(b.regex);
    this.group = b.group;
    this.minEntropy = b.minEntropy;
    this.accept = b.accept;
    this.priority = b.priority;
    this.windowAfter = b.windowAfter;
    if (group > pattern.groupCount()) {
      throw new IllegalArgumentException(ruleId + ": expression has no group " + group);
    }
  }

  /** Starts a detector for {@code ruleId} matching {@code regex} (RE2 syntax). */
  public static Builder rule(String ruleId, String regex) {
    return new Builder(ruleId, regex);
  }

  @Override
  public String ruleId() {
    return ruleId;
  }

  @Override
  public List<String> keywords() {
    return keywords;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public boolean windowed() {
    return !keywords.isEmpty();
  }

  @Override
  public int windowAfter() {
    return windowAfter;
  }

  @Override
  public void detect(CharSequence text, Findings out) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int g = group == FIRST_MATCHED_GROUP ? firstMatchedGroup(m) : group;
      int start = m.start(g);
      int end = m.end(g);
      if (start < 0 || end <= start) {
        continue;
      }
      if (minEntropy > 0 && Entropy.bitsPerChar(text, start, end) < minEntropy) {
        continue;
      }
      if (accept != null && !accept.test(text.subSequence(start, end))) {
        continue;
      }
      out.add(start, end);
    }
  }

  private int firstMatchedGroup(Matcher m) {
    for (int g = 1; g <= pattern.groupCount(); g++) {
      if (m.start(g) >= 0) {
        return g;
      }
    }
    return 0;
  }

  /** Builder of a {@link RegexDetector}. */
  public static final class Builder {
    private final String ruleId;
    private final String regex;
    private List<String> keywords = List.of();
    private int group;
    private double minEntropy;
    private Predicate<CharSequence> accept;
    private int priority = Priority.FAMILY;
    private int windowAfter = 320;

    private Builder(String ruleId, String regex) {
      this.ruleId = ruleId;
      this.regex = regex;
    }

    /** Keywords that gate the expression (see {@link Detector#keywords()}). */
    public Builder keywords(String... keywords) {
      this.keywords = List.of(keywords);
      return this;
    }

    /** Masks only this capture group (default: the whole match). */
    public Builder group(int group) {
      this.group = group;
      return this;
    }

    /** Rejects values below this many bits of entropy per character. */
    public Builder minEntropy(double bits) {
      this.minEntropy = bits;
      return this;
    }

    /** Keeps only values this predicate accepts (allow lists, checksums). */
    public Builder accept(Predicate<CharSequence> accept) {
      this.accept = accept;
      return this;
    }

    /** Overlap priority (see {@link Detector.Priority}). */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * How far after its keyword a match may end (default 320 characters); {@link Integer#MAX_VALUE}
     * for values of unbounded length such as armoured keys.
     */
    public Builder windowAfter(int chars) {
      this.windowAfter = chars;
      return this;
    }

    /** Compiles the expression. */
    public RegexDetector build() {
      return new RegexDetector(this);
    }
  }
}
