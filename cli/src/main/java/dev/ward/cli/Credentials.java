package dev.ward.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code ward login} keeps between commands: the control plane and tenant signed in to, the
 * realm's issuer and client, and the tokens. Stored as JSON in {@code credentials.json} of the
 * configuration folder ({@code $WARD_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/ward}, else {@code
 * ~/.config/ward}), readable by its owner only: the folder 0700, the file 0600.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Credentials(
    String controlPlane,
    String tenant,
    String issuer,
    String clientId,
    String accessToken,
    String refreshToken,
    long expiresAt,
    long refreshExpiresAt) {

  static final String FILE = "credentials.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  /** Without the tokens: they are secrets and never printed or logged. */
  @Override
  public String toString() {
    return "Credentials[" + controlPlane + ", tenant " + tenant + ", " + issuer + "]";
  }

  /** True when the access token expires within {@code marginSeconds} from now. */
  boolean accessTokenExpires(long marginSeconds) {
    return Instant.now().getEpochSecond() + marginSeconds >= expiresAt;
  }

  /** The same sign-in with new tokens from a token response. */
  Credentials withTokens(OidcClient.Tokens t) {
    return new Credentials(
        controlPlane,
        tenant,
        issuer,
        clientId,
        t.accessToken(),
        t.refreshToken() == null ? refreshToken : t.refreshToken(),
        t.expiresAt(),
        t.refreshToken() == null ? refreshExpiresAt : t.refreshExpiresAt());
  }

  /** The configuration folder for this environment. */
  static Path directory(Map<String, String> env) {
    String explicit = env.get("WARD_CONFIG_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "ward");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".config", "ward");
  }

  static Path file(Map<String, String> env) {
    return directory(env).resolve(FILE);
  }

  /** The stored sign-in, if there is one. */
  static Optional<Credentials> load(Map<String, String> env) throws ControlPlane.Failure {
    Path file = file(env);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Credentials.class));
    } catch (IOException e) {
      throw new ControlPlane.Failure(
          "cannot read " + file + " (" + e.getMessage() + "): run `ward login` again");
    }
  }

  /**
   * Writes the sign-in: into a new 0600 file next to the old one, then moved over it, so no other
   * user can read it at any moment and a crash leaves the old file or the new one.
   */
  void save(Map<String, String> env) throws ControlPlane.Failure {
    Path dir = directory(env);
    Path file = dir.resolve(FILE);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      }
      Files.setPosixFilePermissions(dir, OWNER_DIR);
      Path tmp =
          Files.createTempFile(
              dir, ".credentials", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE));
      try {
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        try {
          Files.move(
              tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      Files.setPosixFilePermissions(file, OWNER_FILE);
    } catch (IOException e) {
      throw new ControlPlane.Failure("cannot save the sign-in to " + file + ": " + e.getMessage());
    }
  }

  /** Removes the stored sign-in; true when there was one. */
  static boolean delete(Map<String, String> env) throws ControlPlane.Failure {
    Path file = file(env);
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new ControlPlane.Failure("cannot delete " + file + ": " + e.getMessage());
    }
  }
}
