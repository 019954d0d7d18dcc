package dev.ward.bench.masking;

import dev.ward.policy.PolicyCompiler;
import dev.ward.policy.PolicyValidationException;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingManifest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Masking throughput per CPU-second of the masking thread, for machines whose cores are shared:
 * wall-clock rates (what JMH reports) fall with every other busy process, CPU time does not. Prints
 * one line per rule set and text: MB (10^6 characters of ASCII) masked per CPU-second.
 *
 * <p>Usage: {@code bench/masking/run.sh --cpu [CPU seconds per case, default 5] [full|secrets-only]
 * [clean|secret-laden]}
 */
public final class CpuThroughput {
  private CpuThroughput() {}

  public static void main(String[] args) throws PolicyValidationException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String onlyRules = args.length > 1 ? args[1] : null;
    String onlyText = args.length > 2 ? args[2] : null;
    for (String rules : new String[] {"full", "secrets-only"}) {
      if (onlyRules != null && !onlyRules.equals(rules)) {
        continue;
      }
      Masker masker =
          PolicyCompiler.compile(
                  rules.equals("full")
                      ? MaskingBenchmark.FULL_RULES
                      : MaskingBenchmark.SECRETS_ONLY)
              .masker();
      for (String text : new String[] {"clean", "secret-laden"}) {
        if (onlyText != null && !onlyText.equals(text)) {
          continue;
        }
        String input = text.equals("clean") ? Corpus.clean() : Corpus.secretLaden();
        long sink = 0;
        // warm-up: a third of the measured CPU time
        long warmEnd = threads.getCurrentThreadCpuTime() + (long) (seconds / 3 * 1e9);
        while (threads.getCurrentThreadCpuTime() < warmEnd) {
          sink += masker.maskText(input, MaskingManifest.builder()).length();
        }
        long start = threads.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        int ops = 0;
        long now = start;
        while (now < end) {
          sink += masker.maskText(input, MaskingManifest.builder()).length();
          ops++;
          now = threads.getCurrentThreadCpuTime();
        }
        double mbPerCpuSecond = ops * (Corpus.SIZE / 1e6) / ((now - start) / 1e9);
        System.out.printf(
            "%-13s %-13s %8.1f MB per CPU-second (%d ops, check %d)%n",
            rules, text, mbPerCpuSecond, ops, sink % 10);
      }
    }
  }
}
