package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryTrendTest {

  static final long MIB = 1 << 20;

  @Test
  void aFiveMinuteRunComparesTheSecondMinuteWithTheLastAndIgnoresTheWarmUp() {
    MemoryTrend trend = new MemoryTrend(Duration.ofMinutes(5));
    for (int s = 0; s < 300; s += 3) {
      // the warm-up climbs steeply, then the memory stays at 300 MiB give or take 4
      long bytes = s < 60 ? (100 + 3L * s) * MIB : (300 + (s % 9 == 0 ? 4 : -4)) * MIB;
      trend.add(Duration.ofSeconds(s), bytes);
    }
    assertThat(trend.warmUp()).isEqualTo(Duration.ofMinutes(1));
    assertThat(trend.window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(trend.growth()).isBetween(-0.02, 0.02);
    assertThat(trend.peak()).isEqualTo(304 * MIB);
  }

  @Test
  void aSteadyClimbIsGrowthEvenWhenEachSampleLooksHarmless() {
    MemoryTrend trend = new MemoryTrend(Duration.ofMinutes(5));
    for (int s = 0; s < 300; s += 3) {
      trend.add(Duration.ofSeconds(s), (300 + s / 3) * MIB);
    }
    // minute 2 around 330 MiB, minute 5 around 390 MiB
    assertThat(trend.growth()).isGreaterThan(0.15);
  }

  @Test
  void oneOutlierInAWindowDoesNotDecide() {
    MemoryTrend trend = new MemoryTrend(Duration.ofSeconds(15));
    for (int ms = 0; ms < 15_000; ms += 500) {
      trend.add(Duration.ofMillis(ms), (ms == 13_000 ? 600 : 290) * MIB);
    }
    assertThat(trend.growth()).isZero();
    assertThat(trend.toString()).contains("290 MiB in 3-6 s", "+0.0%");
  }

  @Test
  void aWindowWithoutSamplesIsAnErrorNotAPass() {
    MemoryTrend trend = new MemoryTrend(Duration.ofSeconds(15));
    trend.add(Duration.ofSeconds(1), 290 * MIB);
    assertThatThrownBy(trend::growth).isInstanceOf(IllegalStateException.class);
  }
}
