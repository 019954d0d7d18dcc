package dev.ward.controlplane.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackRequestSignatureTest {

  // The example from Slack's "Verifying requests from Slack" documentation.
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String TIMESTAMP = "1531420618";
  private static final byte[] BODY =
      ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
              + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
              + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
              + "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
              + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
          .getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final Instant THEN = Instant.ofEpochSecond(1531420618 + 30);

  private final SlackRequestSignature slack = new SlackRequestSignature(SECRET);

  @Test
  void slacksDocumentedExampleVerifies() {
    assertThatCode(() -> slack.verify(TIMESTAMP, SIGNATURE, BODY, THEN)).doesNotThrowAnyException();
    assertThat(slack.signatureOf(1531420618L, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void aChangedBodyIsRefused() {
    byte[] changed = BODY.clone();
    changed[changed.length - 1] ^= 1;
    assertThatThrownBy(() -> slack.verify(TIMESTAMP, SIGNATURE, changed, THEN))
        .hasMessageContaining("does not match");
  }

  @Test
  void anotherSecretsSignatureIsRefused() {
    SlackRequestSignature other = new SlackRequestSignature("a-different-signing-secret");
    assertThatThrownBy(() -> other.verify(TIMESTAMP, SIGNATURE, BODY, THEN))
        .isInstanceOf(SlackRequestSignature.Rejected.class);
  }

  @Test
  void aTimestampOutsideFiveMinutesIsRefusedEvenWithAValidSignature() {
    Instant later = Instant.ofEpochSecond(1531420618L + 301);
    assertThatThrownBy(() -> slack.verify(TIMESTAMP, SIGNATURE, BODY, later))
        .hasMessageContaining("five minutes");
    Instant earlier = Instant.ofEpochSecond(1531420618L - 301);
    assertThatThrownBy(() -> slack.verify(TIMESTAMP, SIGNATURE, BODY, earlier))
        .hasMessageContaining("five minutes");
  }

  @Test
  void malformedHeadersAreRefusedWithoutAnException() {
    assertThatThrownBy(() -> slack.verify(null, SIGNATURE, BODY, THEN))
        .isInstanceOf(SlackRequestSignature.Rejected.class);
    assertThatThrownBy(() -> slack.verify("soon", SIGNATURE, BODY, THEN))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> slack.verify(TIMESTAMP, "v1=abc", BODY, THEN))
        .hasMessageContaining("v0");
    assertThatThrownBy(() -> slack.verify(TIMESTAMP, "v0=" + "zz".repeat(32), BODY, THEN))
        .hasMessageContaining("hexadecimal");
  }

  @Test
  void aReplayInsideTheWindowIsCaught() {
    ReplayGuard guard = new ReplayGuard(1000);
    assertThat(guard.firstTime(SIGNATURE, THEN)).isTrue();
    assertThat(guard.firstTime(SIGNATURE, THEN.plusSeconds(10))).isFalse();
    assertThat(guard.firstTime("v0=other", THEN.plusSeconds(10))).isTrue();
  }

  @Test
  void aFullReplayGuardFailsClosed() {
    ReplayGuard guard = new ReplayGuard(2);
    assertThat(guard.firstTime("a", THEN)).isTrue();
    assertThat(guard.firstTime("b", THEN)).isTrue();
    assertThat(guard.firstTime("c", THEN)).isFalse();
  }

  @Test
  void aSignedTimestampWhoseDistanceOverflowsIsRefused() {
    // now - timestamp wraps to Long.MIN_VALUE, whose absolute value is negative
    long timestamp = THEN.getEpochSecond() + Long.MIN_VALUE;
    String signature = slack.signatureOf(timestamp, BODY);
    assertThatThrownBy(() -> slack.verify(Long.toString(timestamp), signature, BODY, THEN))
        .hasMessageContaining("five minutes");
  }
}
