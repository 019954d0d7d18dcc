package dev.ward.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code ward logout}: revokes the stored sign-in at the tenant's realm, so its refresh token is
 * dead, and deletes the credentials file. The file is deleted even when the realm cannot be
 * reached; the command then says so and fails, since the session may still be alive there.
 */
@Command(name = "logout", description = "Sign out: revoke the stored sign-in and delete it.")
final class LogoutCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Optional<Credentials> stored = Credentials.load(environment);
      if (stored.isEmpty()) {
        out.println("Not signed in; nothing to do.");
        return 0;
      }
      Credentials c = stored.get();
      ControlPlane.Failure revocation = null;
      if (c.refreshToken() != null) {
        try {
          new OidcClient(c.issuer(), c.clientId()).revoke(c.refreshToken());
        } catch (ControlPlane.Failure e) {
          revocation = e;
        }
      }
      Credentials.delete(environment);
      if (revocation != null) {
        err.println(
            "ward logout: deleted the stored sign-in, but "
                + revocation.getMessage()
                + "; it ends when it expires");
        return 1;
      }
      out.println("Signed out of " + c.tenant() + ".");
      return 0;
    } catch (ControlPlane.Failure e) {
      err.println("ward logout: " + e.getMessage());
      return 1;
    }
  }
}
