package dev.ward.bench.masking;

import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.PolicyCompiler;
import dev.ward.policy.PolicyValidationException;
import dev.ward.policy.masking.Masker;
import dev.ward.policy.masking.MaskingManifest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Masking throughput on one core: one operation masks {@link Corpus#SIZE} characters (1 MB of
 * ASCII), so operations per second read directly as MB/s per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class MaskingBenchmark {

  /** The full rule set: every secret family and every personal data detector. */
  static final String FULL_RULES =
      """
      {"schemaVersion": 1,
       "masking": {
         "secrets": {"enabled": true, "families": ["*"]},
         "pii": {"email": {}, "phone": {}, "creditCard": {}, "iban": {}, "ssn": {},
                 "ipv4": {}, "ipv6": {}}
       }}
      """;

  /** Secrets only, as the default policy masks. */
  static final String SECRETS_ONLY =
      """
      {"schemaVersion": 1, "masking": {"secrets": {"enabled": true, "families": ["*"]}}}
      """;

  @Param({"full", "secrets-only"})
  public String rules;

  @Param({"clean", "secret-laden"})
  public String text;

  private Masker masker;
  private String input;

  @Setup
  public void setUp() throws PolicyValidationException {
    CompiledPolicy policy =
        PolicyCompiler.compile(rules.equals("full") ? FULL_RULES : SECRETS_ONLY);
    masker = policy.masker();
    input = text.equals("clean") ? Corpus.clean() : Corpus.secretLaden();
  }

  @Benchmark
  public CharSequence maskText() {
    MaskingManifest.Builder manifest = MaskingManifest.builder();
    return masker.maskText(input, manifest);
  }
}
