package dev.ward.agent.recorder;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for background work (sealer, uploader) to reach a state; the test's timeout bounds it. */
final class Eventually {

  private Eventually() {}

  static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
