package dev.ward.agent.protocol.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves a connection's {@code secret_ref} to the upstream password: {@code env:NAME} reads an
 * environment variable of the agent, {@code file:/path} a file (trailing line break removed), read
 * anew for each session so a rotated secret takes effect without a restart.
 */
public final class UpstreamSecret {

  private UpstreamSecret() {}

  public static String resolve(String ref, Map<String, String> environment) throws IOException {
    if (ref == null || ref.isEmpty()) {
      throw new IOException("the connection has no secret_ref");
    }
    if (ref.startsWith("env:")) {
      String value = environment.get(ref.substring(4));
      if (value == null) {
        throw new IOException(
            "the environment variable " + ref.substring(4) + " named by secret_ref is not set");
      }
      return value;
    }
    if (ref.startsWith("file:")) {
      Path file = Path.of(ref.substring(5));
      if (Files.size(file) > 64 * 1024) {
        throw new IOException("the secret file " + file + " is larger than 64 KiB");
      }
      String value = Files.readString(file, StandardCharsets.UTF_8);
      return value.endsWith("\r\n")
          ? value.substring(0, value.length() - 2)
          : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
    throw new IOException("secret_ref must start with env: or file:");
  }
}
