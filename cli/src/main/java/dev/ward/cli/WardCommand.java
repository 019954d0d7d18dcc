package dev.ward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ward} command line. */
@Command(
    name = "ward",
    mixinStandardHelpOptions = true,
    versionProvider = WardCommand.Version.class,
    description = "Ward: identity-aware gateway for AI coding agents.",
    subcommands = {
      LoginCommand.class,
      LogoutCommand.class,
      WhoAmICommand.class,
      ConnectionsCommand.class,
      ConnectCommand.class,
      ExecCommand.class,
      VerifyCommand.class
    })
public final class WardCommand {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  static int run(String... args) {
    return new CommandLine(new WardCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }

  /** The version from the jar's manifest, or "dev" from a source tree. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = WardCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ward " + (v == null ? "dev" : v)};
    }
  }
}
