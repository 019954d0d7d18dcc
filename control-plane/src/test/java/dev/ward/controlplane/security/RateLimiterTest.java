package dev.ward.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.controlplane.common.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void oneAddressGetsItsLimitPerWindowThenA429SayingWhenToRetry() {
    MovableClock clock = new MovableClock();
    RateLimiter limiter = new RateLimiter(3, 100, 60_000, 1000, clock);
    for (int i = 0; i < 3; i++) {
      limiter.acquire("10.0.0.1", "sign-ups");
    }
    assertThatThrownBy(() -> limiter.acquire("10.0.0.1", "sign-ups"))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(429);
              assertThat(p.detail()).contains("try again in 60 seconds");
            });
    limiter.acquire("10.0.0.2", "sign-ups"); // another address is not affected
    clock.now = clock.now.plus(Duration.ofSeconds(61));
    limiter.acquire("10.0.0.1", "sign-ups");
  }

  @Test
  void manyAddressesTogetherStopAtTheGlobalLimitAndMemoryStaysBounded() {
    MovableClock clock = new MovableClock();
    RateLimiter limiter = new RateLimiter(5, 50, 60_000, 20, clock);
    int admitted = 0;
    for (int i = 0; i < 200; i++) {
      try {
        limiter.acquire("10.0.1." + i, "sign-ups");
        admitted++;
      } catch (Problem p) {
        assertThat(p.status()).isEqualTo(429);
      }
    }
    assertThat(admitted).isEqualTo(50);
  }
}
