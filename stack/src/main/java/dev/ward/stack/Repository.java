package dev.ward.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the root of the Ward checkout, where the built artifacts live. */
public final class Repository {

  private Repository() {}

  /** The checkout root: system property {@code ward.home}, else the nearest parent with mvnw. */
  public static Path root() {
    String home = System.getProperty("ward.home");
    if (home != null) {
      return Path.of(home).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("control-plane"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "Cannot find the Ward checkout from " + Path.of("").toAbsolutePath() + "; set -Dward.home");
  }

  /** A built artifact, with a message saying how to build it when it is missing. */
  public static Path artifact(String relative) {
    Path path = root().resolve(relative);
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing; build it first with ./mvnw install -DskipTests (or make dev)");
    }
    return path;
  }
}
