package dev.ward.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void theCeilingDoublesFromTheBaseUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), fixed(0.999999));
    long[] delays = new long[10];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = b.next().toMillis();
    }
    assertThat(delays).startsWith(499, 999, 1999, 3999, 7999, 15999);
    assertThat(delays[9]).isBetween(29_000L, 30_000L);
  }

  @Test
  void delaysAreJitteredBetweenATenthOfTheCeilingAndTheCeiling() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(7));
    for (int i = 0; i < 200; i++) {
      long ceiling = b.ceiling(b.attempts());
      long delay = b.next().toMillis();
      assertThat(delay).isBetween(ceiling / 10, ceiling);
    }
  }

  @Test
  void jitterSpreadsAFleetOfAgents() {
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToLong(
                seed -> {
                  Backoff b =
                      new Backoff(
                          Duration.ofSeconds(1),
                          Duration.ofSeconds(60),
                          new SplittableRandom(seed));
                  b.next();
                  b.next();
                  return b.next().toMillis();
                })
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(40);
  }

  @Test
  void resetStartsAgainFromTheBase() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), fixed(0.999999));
    for (int i = 0; i < 8; i++) {
      b.next();
    }
    b.reset();
    assertThat(b.next().toMillis()).isLessThanOrEqualTo(100);
  }

  @Test
  void manyFailuresNeverOverflowPastTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), fixed(0.999999));
    Duration last = Duration.ZERO;
    for (int i = 0; i < 1000; i++) {
      last = b.next();
    }
    assertThat(last).isLessThanOrEqualTo(Duration.ofMinutes(5)).isPositive();
  }
}
