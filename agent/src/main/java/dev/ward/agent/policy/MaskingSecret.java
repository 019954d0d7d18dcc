package dev.ward.agent.policy;

import dev.ward.agent.keys.KeySeal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The agent's secret for deterministic masking tokens, kept in its data dir sealed by {@link
 * KeySeal}. Tokens are keyed per tenant and session from it, so equal values compare equal within a
 * session while their tokens reveal nothing outside it. A plaintext file left by an older agent is
 * sealed on the first start.
 */
public final class MaskingSecret {

  static final String PURPOSE = "masking";

  private MaskingSecret() {}

  public static byte[] loadOrCreate(Path dataDir, KeySeal seal) throws IOException {
    Path file = dataDir.resolve("masking.key");
    if (Files.exists(file)) {
      byte[] key = KeySeal.isSealed(file) ? seal.read(file, PURPOSE) : Files.readAllBytes(file);
      if (key.length != 32) {
        throw new IOException(file + " is not a 32-byte key; delete it to make a new one");
      }
      if (!KeySeal.isSealed(file)) {
        seal.write(file, PURPOSE, key);
      }
      return key;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    seal.write(file, PURPOSE, key);
    return key;
  }
}
