package dev.ward.cli;

import dev.ward.recording.DirectorySource;
import dev.ward.recording.RecordingVerifier;
import dev.ward.recording.TrustedKeys;
import dev.ward.recording.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward verify}: checks a recorded session offline — signatures, hash chain, order and
 * completeness — against agent keys the caller trusts, and names what is wrong when it is.
 */
@Command(
    name = "verify",
    description = {
      "Verify a recorded session offline: chain, signatures and completeness.",
      "Exit status: 0 intact, 1 tail missing, 2 tampered, 3 the recording could not be read."
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SESSION_DIR",
      description = "Folder holding the session's segments and manifest (as downloaded).")
  Path directory;

  @Option(
      names = "--key",
      paramLabel = "BASE64",
      description = "A trusted agent public key (Base64 X.509 Ed25519). Repeatable.")
  List<String> keys = new ArrayList<>();

  @Option(
      names = "--keys-file",
      paramLabel = "FILE",
      description = "A file of trusted agent public keys, one Base64 key per line.")
  Path keysFile;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> trusted = new ArrayList<>(keys);
    if (keysFile != null) {
      for (String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          trusted.add(line.trim());
        }
      }
    }
    if (trusted.isEmpty()) {
      err.println(
          "ward verify: no trusted agent key. Pass --key BASE64 or --keys-file FILE (the agent's"
              + " recording key, as GET /api/v1/agents shows it).");
      return 64;
    }
    if (!Files.isDirectory(directory)) {
      err.println("ward verify: " + directory + " is not a folder.");
      return 3;
    }
    TrustedKeys trustedKeys;
    try {
      trustedKeys = TrustedKeys.ofBase64(trusted);
    } catch (IllegalArgumentException e) {
      err.println("ward verify: " + e.getMessage());
      return 64;
    }
    Verdict v = new RecordingVerifier(trustedKeys).verify(new DirectorySource(directory));
    out.println(v.describe());
    out.printf(
        "session %s: %d segments, %d events verified%n",
        v.sessionId().isEmpty() ? "(unknown)" : v.sessionId(), v.segmentCount(), v.eventCount());
    return v.intact() ? 0 : v.status() == Verdict.Status.TAIL_MISSING ? 1 : 2;
  }
}
