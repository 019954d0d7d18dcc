package dev.ward.controlplane.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a request really comes from Slack (signature version v0): HMAC-SHA256 over {@code
 * v0:<timestamp>:<raw body>} keyed with the app's signing secret, compared in constant time, with
 * the timestamp within five minutes of now so a captured request cannot be replayed later. A replay
 * within the window is caught by {@link ReplayGuard}.
 */
public final class SlackRequestSignature {

  /** How far the request timestamp may be from now. */
  public static final Duration WINDOW = Duration.ofMinutes(5);

  /** Why a request was refused; the message is safe to log (it holds no secret). */
  public static final class Rejected extends Exception {
    Rejected(String message) {
      super(message);
    }
  }

  private final byte[] signingSecret;

  public SlackRequestSignature(String signingSecret) {
    if (signingSecret == null || signingSecret.isBlank()) {
      throw new IllegalArgumentException("the Slack signing secret is not configured");
    }
    this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Verifies the request.
   *
   * @param timestampHeader {@code X-Slack-Request-Timestamp}
   * @param signatureHeader {@code X-Slack-Signature}
   * @param rawBody the body exactly as received, before any parsing
   * @param now the current time
   * @throws Rejected when the headers are missing or malformed, the timestamp is outside the
   *     window, or the signature does not match
   */
  public void verify(String timestampHeader, String signatureHeader, byte[] rawBody, Instant now)
      throws Rejected {
    if (timestampHeader == null || signatureHeader == null) {
      throw new Rejected("missing X-Slack-Request-Timestamp or X-Slack-Signature");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      throw new Rejected("X-Slack-Request-Timestamp is not a number");
    }
    // compared without subtracting the caller's number, which could overflow past the window
    long nowSeconds = now.getEpochSecond();
    if (timestamp < nowSeconds - WINDOW.toSeconds()
        || timestamp > nowSeconds + WINDOW.toSeconds()) {
      throw new Rejected("the request timestamp is more than five minutes from now");
    }
    if (!signatureHeader.startsWith("v0=") || signatureHeader.length() != 3 + 64) {
      throw new Rejected("X-Slack-Signature is not a v0 signature");
    }
    byte[] expected = sign(timestamp, rawBody);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signatureHeader, 3, signatureHeader.length());
    } catch (IllegalArgumentException e) {
      throw new Rejected("X-Slack-Signature is not hexadecimal");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new Rejected("the signature does not match the body");
    }
  }

  /** The v0 signature of a body at a timestamp, as Slack computes it (for tests and stubs). */
  public String signatureOf(long timestamp, byte[] rawBody) {
    return "v0=" + HexFormat.of().formatHex(sign(timestamp, rawBody));
  }

  private byte[] sign(long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
