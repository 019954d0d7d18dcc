package dev.ward.controlplane.distribution;

import dev.ward.controlplane.common.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The agent distributions this control plane serves: {@code ward-agent-<version>.tar.gz} and its
 * {@code .sha256}, as the agent module's build writes them, in the folder {@code
 * WARD_DISTRIBUTION_DIR}. The folder is read on each request, so publishing a new version is
 * copying two files.
 */
@ApplicationScoped
public class AgentDistribution {

  private static final String PREFIX = "ward-agent-";
  private static final String SUFFIX = ".tar.gz";

  private final Optional<Path> dir;

  public AgentDistribution(@ConfigProperty(name = "ward.distribution.dir") Optional<String> dir) {
    this.dir = dir.filter(d -> !d.isBlank()).map(d -> Path.of(d).toAbsolutePath().normalize());
  }

  /** Whether a distribution folder is configured and exists. */
  public boolean installed() {
    return dir.isPresent() && Files.isDirectory(dir.get());
  }

  /** The versions whose tarball is present, oldest first. */
  public List<AgentVersion> versions() {
    if (!installed()) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir.get())) {
      return files
          .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
          .map(
              n ->
                  AgentVersion.tryParse(n.substring(PREFIX.length(), n.length() - SUFFIX.length())))
          .flatMap(Optional::stream)
          .sorted(Comparator.naturalOrder())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the agent distribution folder", e);
    }
  }

  /** The newest version present, or a 404 problem when none is. */
  public AgentVersion newest() {
    List<AgentVersion> all = versions();
    if (all.isEmpty()) {
      throw notInstalled();
    }
    return all.get(all.size() - 1);
  }

  /** The version asked for when present, else the newest; a 404 problem when it is not served. */
  public AgentVersion resolve(Optional<AgentVersion> wanted) {
    if (wanted.isEmpty()) {
      return newest();
    }
    tarball(wanted.get());
    return wanted.get();
  }

  /** The tarball of a version, or a 404 problem. */
  public Path tarball(AgentVersion version) {
    return file(version, version.tarballName());
  }

  /** The published checksum of a version, or a 404 problem. */
  public Path checksum(AgentVersion version) {
    return file(version, version.checksumName());
  }

  private Path file(AgentVersion version, String name) {
    if (!installed()) {
      throw notInstalled();
    }
    // The name is built from a validated version; the check below is a second fence.
    Path file = dir.get().resolve(name).normalize();
    if (!file.getParent().equals(dir.get())
        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new Problem(
          404,
          "Not Found",
          "Agent version " + version + " is not served by this control plane" + available() + ".");
    }
    return file;
  }

  private String available() {
    List<AgentVersion> all = versions();
    return all.isEmpty()
        ? ""
        : "; available: " + String.join(", ", all.stream().map(AgentVersion::value).toList());
  }

  private static Problem notInstalled() {
    return new Problem(
        404,
        "Distribution Not Installed",
        "The agent distribution is not installed on this control plane: set WARD_DISTRIBUTION_DIR"
            + " to a folder holding ward-agent-<version>.tar.gz and its .sha256 (the agent"
            + " module's build writes them to agent/target/distribution).");
  }
}
