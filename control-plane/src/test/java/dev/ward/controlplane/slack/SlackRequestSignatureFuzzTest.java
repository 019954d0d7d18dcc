package dev.ward.controlplane.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.time.Instant;

/**
 * Slack's callback endpoint is public, so its headers and body are whatever a caller sends: the
 * check must refuse with {@link SlackRequestSignature.Rejected} or accept, and accept only a body
 * signed with the secret at a timestamp within five minutes of now. The harness signs some inputs
 * itself (so the fuzzer can reach the timestamp checks behind the signature) and then lets the
 * fuzzer change the headers. Seeds sit in {@code SlackRequestSignatureFuzzTestInputs}; see
 * docs/reliability.md.
 */
class SlackRequestSignatureFuzzTest {

  private static final SlackRequestSignature SLACK =
      new SlackRequestSignature("8f742231b10e8888abcd99yyyzzz85a5");
  private static final Instant NOW = Instant.ofEpochSecond(1_764_000_000L);

  @FuzzTest(maxDuration = "5s")
  void signatureCheckRefusesOrAcceptsOnlyWhatSlackSigned(FuzzedDataProvider data) {
    long timestamp = data.consumeLong();
    boolean signed = data.consumeBoolean();
    String timestampHeader =
        data.consumeBoolean() ? Long.toString(timestamp) : data.consumeString(24);
    String signatureHeader = signed ? null : data.consumeString(80);
    byte[] body = data.consumeRemainingAsBytes();
    if (signed) {
      signatureHeader = SLACK.signatureOf(timestamp, body);
    }
    boolean accepted;
    try {
      SLACK.verify(timestampHeader, signatureHeader, body, NOW);
      accepted = true;
    } catch (SlackRequestSignature.Rejected refused) {
      accepted = false;
    }
    if (accepted) {
      long parsed = Long.parseLong(timestampHeader.trim());
      BigInteger distance =
          BigInteger.valueOf(NOW.getEpochSecond()).subtract(BigInteger.valueOf(parsed)).abs();
      assertThat(distance).isLessThanOrEqualTo(BigInteger.valueOf(300));
      assertThat(signatureHeader).isEqualTo(SLACK.signatureOf(parsed, body));
    }
  }
}
