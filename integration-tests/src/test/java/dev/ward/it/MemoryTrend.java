package dev.ward.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's resident memory sampled over a steady load, and how much it grew: the median of the
 * last window against the median of the first window after a warm-up. Medians, not single samples,
 * so that one garbage collection or one late sample on a busy machine does not decide.
 */
final class MemoryTrend {

  /** One sample: seconds into the load, resident bytes. */
  record Sample(double seconds, long bytes) {}

  private final Duration period;
  private final Duration warmUp;
  private final Duration window;
  private final List<Sample> samples = new ArrayList<>();

  /**
   * For a load of {@code period}: the first fifth is warm-up, and each window is a fifth of it too,
   * at most a minute (a five-minute run compares minute 2 with minute 5).
   */
  MemoryTrend(Duration period) {
    this.period = period;
    this.warmUp = period.dividedBy(5);
    Duration fifth = period.dividedBy(5);
    this.window = fifth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : fifth;
  }

  void add(Duration at, long bytes) {
    samples.add(new Sample(at.toMillis() / 1e3, bytes));
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  Duration warmUp() {
    return warmUp;
  }

  Duration window() {
    return window;
  }

  long peak() {
    return samples.stream().mapToLong(Sample::bytes).max().orElse(0);
  }

  long firstWindowMedian() {
    return median(seconds(warmUp), seconds(warmUp.plus(window)));
  }

  long lastWindowMedian() {
    return median(seconds(period.minus(window)), Double.MAX_VALUE);
  }

  /** The last window's median over the first's, minus one: 0.05 is five per cent more. */
  double growth() {
    return (double) lastWindowMedian() / firstWindowMedian() - 1;
  }

  private long median(double from, double to) {
    long[] in =
        samples.stream()
            .filter(s -> s.seconds() >= from && s.seconds() < to)
            .mapToLong(Sample::bytes)
            .sorted()
            .toArray();
    if (in.length == 0) {
      throw new IllegalStateException(
          "no memory sample between " + from + " s and " + to + " s of the load: " + samples);
    }
    return in.length % 2 == 1 ? in[in.length / 2] : (in[in.length / 2 - 1] + in[in.length / 2]) / 2;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1e3;
  }

  @Override
  public String toString() {
    if (samples.isEmpty()) {
      return "no memory sample";
    }
    return String.format(
        "RSS median %d MiB in %.0f-%.0f s, %d MiB from %.0f s (%+.1f%%), %d samples",
        firstWindowMedian() >> 20,
        seconds(warmUp),
        seconds(warmUp.plus(window)),
        lastWindowMedian() >> 20,
        seconds(period.minus(window)),
        growth() * 100,
        samples.size());
  }
}
