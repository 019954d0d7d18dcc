package dev.ward.recording;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** The Ed25519 key an agent signs its segments and manifests with. */
public final class RecordingSigner {

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final byte[] keyId;

  public RecordingSigner(KeyPair pair) {
    if (!"EdDSA".equals(pair.getPrivate().getAlgorithm())
        && !"Ed25519".equals(pair.getPrivate().getAlgorithm())) {
      throw new IllegalArgumentException("recording keys are Ed25519 keys");
    }
    this.privateKey = pair.getPrivate();
    this.publicKey = pair.getPublic();
    this.keyId = RecordingFormat.keyId(publicKey);
  }

  /** A fresh key pair from the JDK's Ed25519 generator. */
  public static KeyPair generateKeyPair() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /** Signs {@code domain || data[0, length)}. */
  public byte[] sign(byte[] domain, byte[] data, int length) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(domain);
      s.update(data, 0, length);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as Base64 of its X.509 SubjectPublicKeyInfo (DER), as sent in Hello. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  public byte[] keyId() {
    return keyId.clone();
  }
}
