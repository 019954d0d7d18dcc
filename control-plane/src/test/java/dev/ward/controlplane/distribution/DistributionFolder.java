package dev.ward.controlplane.distribution;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** A distribution folder with two agent versions, for tests of the distribution endpoints. */
public class DistributionFolder implements QuarkusTestResourceLifecycleManager {

  static final String OLD = "1.2.0";
  static final String NEW = "1.10.0";
  static Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("ward-distribution-test");
      for (String version : new String[] {OLD, NEW}) {
        byte[] tarball = tarball(version);
        String name = "ward-agent-" + version + ".tar.gz";
        Files.write(dir.resolve(name), tarball);
        Files.writeString(dir.resolve(name + ".sha256"), sha256(tarball) + "  " + name + "\n");
      }
      return Map.of("ward.distribution.dir", dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stand-in bytes of a version's tarball: distinct per version, the same on every call. */
  static byte[] tarball(String version) {
    byte[] bytes = new byte[64 * 1024];
    new Random(version.hashCode()).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
