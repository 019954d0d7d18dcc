package dev.ward.policy.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of deterministic tokens: HMAC-SHA256 keyed per tenant and work session, so equal values
 * give equal tokens within that scope (a caller can join and compare values it never sees) and
 * unrelated tokens outside it. The key never leaves this object and is never printed.
 */
public final class MaskingKey {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int TOKEN_BYTES = 5;

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private MaskingKey(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * Derives the key of one scope from the tenant's masking secret.
   *
   * @param tenantSecret the tenant's secret (at least 16 bytes), held by the agent
   * @param tenantId the tenant
   * @param sessionId the work session; {@code null} gives one key for the whole tenant
   */
  public static MaskingKey derive(byte[] tenantSecret, String tenantId, String sessionId) {
    Objects.requireNonNull(tenantSecret, "tenantSecret");
    Objects.requireNonNull(tenantId, "tenantId");
    if (tenantSecret.length < 16) {
      throw new IllegalArgumentException("tenant masking secret must be at least 16 bytes");
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(tenantSecret, ALGORITHM));
      String scope =
          "ward-mask-token-v1\u0000" + tenantId + "\u0000" + (sessionId == null ? "" : sessionId);
      return new MaskingKey(mac.doFinal(scope.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** A key of its own, for dry runs: tokens are consistent only within this key. */
  public static MaskingKey random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new MaskingKey(bytes);
  }

  /** The token of a value, e.g. {@code tok_3f9a1c2e8b}. */
  public String token(CharSequence value) {
    Mac mac = macs.get();
    byte[] digest = mac.doFinal(value.toString().getBytes(StandardCharsets.UTF_8));
    return "tok_" + HexFormat.of().formatHex(digest, 0, TOKEN_BYTES);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "MaskingKey[hidden]";
  }
}
