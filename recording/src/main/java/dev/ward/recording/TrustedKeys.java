package dev.ward.recording;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The agent public keys a verifier trusts, looked up by the key id a segment carries. */
public final class TrustedKeys {

  private final List<PublicKey> keys;
  private final List<byte[]> ids = new ArrayList<>();

  public TrustedKeys(Collection<PublicKey> keys) {
    this.keys = List.copyOf(keys);
    for (PublicKey k : this.keys) {
      ids.add(RecordingFormat.keyId(k));
    }
  }

  /** Keys given as Base64 X.509 SubjectPublicKeyInfo (DER), as agents announce them. */
  public static TrustedKeys ofBase64(Collection<String> base64Keys) {
    List<PublicKey> keys = new ArrayList<>();
    for (String b64 : base64Keys) {
      keys.add(parse(b64));
    }
    return new TrustedKeys(keys);
  }

  /** Parses one Base64 SPKI Ed25519 public key. */
  public static PublicKey parse(String base64Spki) {
    try {
      byte[] der = Base64.getDecoder().decode(base64Spki.trim());
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "not a Base64 X.509 Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** The trusted key with this id, if any. */
  public Optional<PublicKey> find(byte[] keyId) {
    for (int i = 0; i < keys.size(); i++) {
      if (MessageDigest.isEqual(ids.get(i), keyId)) {
        return Optional.of(keys.get(i));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code signature} is a valid Ed25519 signature of {@code domain || data[0,len)}. */
  static boolean verify(PublicKey key, byte[] domain, byte[] data, int length, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(domain);
      s.update(data, 0, length);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
