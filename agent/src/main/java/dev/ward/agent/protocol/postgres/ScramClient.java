package dev.ward.agent.protocol.postgres;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel binding
 * ({@code n,,}), the user name taken from the startup packet, and the server's signature checked
 * before the login counts as done.
 */
final class ScramClient {

  static final String MECHANISM = "SCRAM-SHA-256";
  private static final String GS2_HEADER = "n,,";
  private static final int MAX_ITERATIONS = 1_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] password;
  private final String user;
  private final String clientNonce;
  private String clientFirstBare;
  private byte[] expectedServerSignature;

  ScramClient(String password) {
    // PostgreSQL takes the user from the startup packet and ignores the SCRAM user name
    this(password, "", randomNonce());
  }

  /** With a fixed user and nonce, for the RFC's test vectors. */
  ScramClient(String password, String user, String clientNonce) {
    this.password = normalize(password).getBytes(StandardCharsets.UTF_8);
    this.user = user;
    this.clientNonce = clientNonce;
  }

  private static String randomNonce() {
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The client-first-message. */
  byte[] clientFirst() {
    clientFirstBare = "n=" + user + ",r=" + clientNonce;
    return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.US_ASCII);
  }

  /** Answers the server-first-message with the client-final-message (the proof). */
  byte[] clientFinal(byte[] serverFirstBytes) throws GeneralSecurityException {
    String serverFirst = new String(serverFirstBytes, StandardCharsets.US_ASCII);
    String nonce = attribute(serverFirst, 'r');
    byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
    int iterations;
    try {
      iterations = Integer.parseInt(attribute(serverFirst, 'i'));
    } catch (NumberFormatException e) {
      throw new GeneralSecurityException("SCRAM iteration count is not a number");
    }
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new GeneralSecurityException("SCRAM server nonce does not extend the client's");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new GeneralSecurityException("SCRAM iteration count out of range");
    }
    String channelBinding = Base64.getEncoder().encodeToString(GS2_HEADER.getBytes());
    String finalWithoutProof = "c=" + channelBinding + ",r=" + nonce;
    byte[] authMessage =
        (clientFirstBare + "," + serverFirst + "," + finalWithoutProof)
            .getBytes(StandardCharsets.US_ASCII);
    byte[] salted = hi(password, salt, iterations);
    byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
    byte[] clientSignature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
    }
    byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
    expectedServerSignature = hmac(serverKey, authMessage);
    return (finalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Checks the server-final-message: the server proves it knew the password too. */
  void verifyServerFinal(byte[] serverFinalBytes) throws GeneralSecurityException {
    String serverFinal = new String(serverFinalBytes, StandardCharsets.US_ASCII);
    if (serverFinal.startsWith("e=")) {
      throw new GeneralSecurityException("SCRAM server error: " + serverFinal.substring(2));
    }
    byte[] signature = Base64.getDecoder().decode(attribute(serverFinal, 'v'));
    if (expectedServerSignature == null
        || !MessageDigest.isEqual(signature, expectedServerSignature)) {
      throw new GeneralSecurityException("SCRAM server signature does not match");
    }
  }

  private static String attribute(String message, char name) throws GeneralSecurityException {
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
        return part.substring(2);
      }
    }
    throw new GeneralSecurityException("SCRAM message lacks attribute " + name);
  }

  /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 and one block. */
  static byte[] hi(byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(password, "HmacSHA256"));
    mac.update(salt);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  /**
   * An approximation of SASLprep: NFKC normalisation, as PostgreSQL falls back to the raw password
   * when preparation fails; ASCII passwords, the common case, are unchanged.
   */
  private static String normalize(String password) {
    for (int i = 0; i < password.length(); i++) {
      if (password.charAt(i) > 0x7f) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
      }
    }
    return password;
  }
}
