package dev.ward.controlplane.secrets;

import dev.ward.controlplane.common.Problem;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The control plane's master key ({@code WARD_MASTER_KEY}: 32 random bytes in Base64), which wraps
 * every tenant's data key. Read once at start; a malformed key stops the start-up rather than
 * failing later. Without one, the control plane runs but refuses to store secrets.
 */
@Singleton
@Startup
public class MasterKey {

  private final SecretKey key;
  private final String id;

  public MasterKey(@ConfigProperty(name = "ward.master-key") Optional<String> configured) {
    Optional<String> value = configured.map(String::trim).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      this.key = null;
      this.id = null;
      return;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("WARD_MASTER_KEY must be Base64 (32 random bytes)");
    }
    if (bytes.length != Envelope.KEY_BYTES) {
      throw new IllegalStateException(
          "WARD_MASTER_KEY must hold 32 random bytes in Base64, e.g. `openssl rand -base64 32`");
    }
    this.key = Envelope.key(bytes);
    this.id = fingerprint(bytes);
  }

  /** Whether a master key is configured. */
  public boolean present() {
    return key != null;
  }

  /** A short fingerprint stored next to each wrapped key, to tell which master key wrapped it. */
  public String id() {
    return require() == null ? null : id;
  }

  SecretKey key() {
    return require();
  }

  private SecretKey require() {
    if (key == null) {
      throw new Problem(
          503,
          "Service Unavailable",
          "This control plane has no master key (WARD_MASTER_KEY), so it cannot keep secrets;"
              + " ask its operator to configure one.");
    }
    return key;
  }

  private static String fingerprint(byte[] key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("ward-master-key:" + Base64.getEncoder().encodeToString(key))
                      .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
