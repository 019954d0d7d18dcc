package dev.ward.agent.recorder;

import dev.ward.agent.keys.KeySeal;
import dev.ward.recording.RecordingSigner;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;

/**
 * The agent's Ed25519 recording key: generated on first start and kept in the data directory sealed
 * by {@link KeySeal} (never as a plaintext key file), so every recording this agent ever writes
 * verifies under the one public key it announces to the control plane ({@code
 * Hello.recording_public_key}). A plaintext key file left by an older agent is sealed and removed
 * on the first start.
 */
public final class AgentSigningKey {

  static final String FILE_NAME = "recording-signing.key";
  static final String PURPOSE = "recording-signing";

  private AgentSigningKey() {}

  /** Loads the key from {@code dataDir}, creating it on first start. */
  public static RecordingSigner loadOrCreate(Path dataDir, KeySeal seal) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      if (KeySeal.isSealed(file)) {
        return parse(file, seal.read(file, PURPOSE));
      }
      byte[] plain = Files.readAllBytes(file);
      RecordingSigner signer = parse(file, plain);
      seal.write(file, PURPOSE, plain);
      Arrays.fill(plain, (byte) 0);
      return signer;
    }
    Files.createDirectories(dataDir);
    KeyPair pair = RecordingSigner.generateKeyPair();
    Properties p = new Properties();
    p.setProperty("algorithm", "Ed25519");
    p.setProperty("private-pkcs8", b64(pair.getPrivate().getEncoded()));
    p.setProperty("public-spki", b64(pair.getPublic().getEncoded()));
    StringWriter text = new StringWriter();
    p.store(text, "Ward agent recording signing key");
    // Written aside and renamed, so a crash never leaves half a key behind.
    seal.write(file, PURPOSE, text.toString().getBytes(StandardCharsets.UTF_8));
    return new RecordingSigner(pair);
  }

  private static RecordingSigner parse(Path file, byte[] content) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey priv =
          kf.generatePrivate(new PKCS8EncodedKeySpec(unb64(p.getProperty("private-pkcs8"))));
      PublicKey pub =
          kf.generatePublic(new X509EncodedKeySpec(unb64(p.getProperty("public-spki"))));
      RecordingSigner signer = new RecordingSigner(new KeyPair(pub, priv));
      byte[] probe = "ward key check".getBytes(StandardCharsets.UTF_8);
      byte[] sig = signer.sign(new byte[0], probe, probe.length);
      var verify = java.security.Signature.getInstance("Ed25519");
      verify.initVerify(pub);
      verify.update(probe);
      if (!verify.verify(sig)) {
        throw new IOException(file + " holds a private and a public key that do not match");
      }
      return signer;
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      throw new IOException(
          file
              + " is not a valid recording key; restore it from backup (recordings signed with it"
              + " stay verifiable with its public key)",
          e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(String s) {
    return Base64.getDecoder().decode(s.trim());
  }
}
