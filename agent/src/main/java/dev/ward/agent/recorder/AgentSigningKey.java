package dev.ward.agent.recorder;

import dev.ward.recording.RecordingSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Properties;

/**
 * The agent's Ed25519 recording key: generated on first start and kept in the data directory as a
 * 0600 file, so every recording this agent ever writes verifies under the one public key it
 * announces to the control plane ({@code Hello.recording_public_key}).
 */
public final class AgentSigningKey {

  static final String FILE_NAME = "recording-signing.key";

  private AgentSigningKey() {}

  /** Loads the key from {@code dataDir}, creating it on first start. */
  public static RecordingSigner loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return load(file);
    }
    Files.createDirectories(dataDir);
    KeyPair pair = RecordingSigner.generateKeyPair();
    Properties p = new Properties();
    p.setProperty("algorithm", "Ed25519");
    p.setProperty("private-pkcs8", b64(pair.getPrivate().getEncoded()));
    p.setProperty("public-spki", b64(pair.getPublic().getEncoded()));
    // Written aside and renamed, so a crash never leaves half a key behind.
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "Ward agent recording signing key. Keep private; never copy it elsewhere.");
    }
    DurableFiles.fsync(tmp);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.fsyncDirectory(dataDir);
    return new RecordingSigner(pair);
  }

  private static RecordingSigner load(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
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
