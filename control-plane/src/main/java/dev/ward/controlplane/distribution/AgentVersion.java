package dev.ward.controlplane.distribution;

import dev.ward.controlplane.common.Problem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version of the agent distribution, e.g. {@code 0.1.0} or {@code 0.2.0-rc.1}. Parsed from
 * request paths and file names, so it is bounded and can never name another file.
 *
 * @param value the version as written
 */
public record AgentVersion(String value) implements Comparable<AgentVersion> {

  /** Longest version accepted; file names and URLs stay short. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern FORM =
      Pattern.compile("([0-9]{1,9})\\.([0-9]{1,9})\\.([0-9]{1,9})(?:-([A-Za-z0-9.]{1,40}))?");

  public AgentVersion {
    if (value == null || value.length() > MAX_LENGTH || !FORM.matcher(value).matches()) {
      throw Problem.invalidField(
          "version", "an agent version looks like 1.2.3 or 1.2.3-suffix (letters, digits, dots)");
    }
  }

  /** The version, or empty when the text is not one (for file names that are not ours). */
  public static java.util.Optional<AgentVersion> tryParse(String value) {
    if (value == null || value.length() > MAX_LENGTH || !FORM.matcher(value).matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new AgentVersion(value));
  }

  /** The distribution tarball's file name. */
  public String tarballName() {
    return "ward-agent-" + value + ".tar.gz";
  }

  /** The checksum file's name, next to the tarball. */
  public String checksumName() {
    return tarballName() + ".sha256";
  }

  /** Orders by major, minor, patch; a release sorts after its pre-releases. */
  @Override
  public int compareTo(AgentVersion other) {
    Matcher a = FORM.matcher(value);
    Matcher b = FORM.matcher(other.value);
    a.matches();
    b.matches();
    for (int group = 1; group <= 3; group++) {
      int c = Long.compare(Long.parseLong(a.group(group)), Long.parseLong(b.group(group)));
      if (c != 0) {
        return c;
      }
    }
    String pa = a.group(4);
    String pb = b.group(4);
    if (pa == null || pb == null) {
      return pa == null ? (pb == null ? 0 : 1) : -1;
    }
    return pa.compareTo(pb);
  }

  @Override
  public String toString() {
    return value;
  }
}
