package dev.ward.controlplane.secrets;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing, the one cipher of Ward's envelope encryption: data keys are sealed with the
 * master key, secrets with a tenant's data key. A sealed value is {@code 0x01 | 12-byte nonce |
 * ciphertext and tag}; the associated data binds it to its owner and purpose, so a value copied to
 * another tenant's row or another field does not open.
 */
public final class Envelope {

  static final int KEY_BYTES = 32;
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelope() {}

  /** A sealed value that cannot be opened: wrong key, wrong owner, or tampered. */
  public static final class UnreadableSecretException extends RuntimeException {
    UnreadableSecretException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A fresh random AES-256 key. */
  public static SecretKey newKey() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(KEY_BYTES * 8, RANDOM);
      return generator.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is part of every JDK", e);
    }
  }

  /** The AES-256 key of these 32 bytes. */
  public static SecretKey key(byte[] bytes) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + bytes.length);
    }
    return new SecretKeySpec(bytes, "AES");
  }

  public static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
          .put(FORMAT)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM sealing failed", e);
    }
  }

  public static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData) {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
      throw new UnreadableSecretException("not a sealed value of a known format", null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecretException(
          "the sealed value does not open with this key and owner", e);
    }
  }
}
