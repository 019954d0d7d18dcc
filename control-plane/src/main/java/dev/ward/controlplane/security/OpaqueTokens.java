package dev.ward.controlplane.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues and digests the opaque bearer tokens Ward hands out (agent tokens, API tokens). Tokens
 * carry 256 random bits, so a plain SHA-256 digest is a safe way to store them: there is nothing to
 * brute-force, and lookups stay a single indexed query.
 */
public final class OpaqueTokens {

  /** Prefix of agent tokens, so a leaked one is recognisable by secret scanners. */
  public static final String AGENT_PREFIX = "wat_";

  /** Prefix of API tokens. */
  public static final String API_PREFIX = "wapi_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private OpaqueTokens() {}

  /** A new token: the prefix followed by 32 random bytes in URL-safe Base64. */
  public static String issue(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The SHA-256 digest under which a token is stored and looked up. */
  public static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Compares two secrets in time independent of where they differ. */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
