package dev.ward.agent.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The agent's secret for deterministic masking tokens, kept in its data dir (0600). Tokens are
 * keyed per tenant and session from it, so equal values compare equal within a session while their
 * tokens reveal nothing outside it.
 */
public final class MaskingSecret {

  private MaskingSecret() {}

  public static byte[] loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve("masking.key");
    if (Files.exists(file)) {
      byte[] key = Files.readAllBytes(file);
      if (key.length == 32) {
        return key;
      }
      throw new IOException(file + " is not a 32-byte key; delete it to make a new one");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path tmp = file.resolveSibling("masking.key.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, key);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return key;
  }
}
