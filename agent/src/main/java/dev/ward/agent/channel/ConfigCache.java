package dev.ward.agent.channel;

import dev.ward.proto.channel.v1.ConfigSnapshot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The last configuration the agent applied, kept on disk so that after a restart it enforces the
 * same policy while the control plane is unreachable. Written atomically (temporary file, fsync,
 * rename) and readable only by the agent's user. It holds no secrets: the snapshot carries
 * references to secrets, never their values.
 */
public final class ConfigCache {

  private final Path file;

  public ConfigCache(Path dataDir) {
    this.file = dataDir.resolve("config.snapshot");
  }

  /** The cached snapshot, or empty when there is none or it cannot be read. */
  public Optional<ConfigSnapshot> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigSnapshot.parseFrom(Files.readAllBytes(file)));
    } catch (IOException e) {
      System.getLogger(ConfigCache.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "Ignoring unreadable config cache {0}: {1}",
              file,
              e.getMessage());
      return Optional.empty();
    }
  }

  /** Replaces the cached snapshot. */
  public void save(ConfigSnapshot snapshot) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(snapshot.toByteArray()));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
