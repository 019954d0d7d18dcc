package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ward login}: signs a person in to their tenant with the device authorization grant. The
 * control plane names the tenant's realm; the person approves a code in any browser; the tokens are
 * kept in the configuration folder (see {@link Credentials}) for the other commands.
 */
@Command(
    name = "login",
    description = {
      "Sign in to your Ward tenant: open the address shown, enter the code, approve.",
      "The sign-in is kept in $WARD_CONFIG_DIR or ~/.config/ward/credentials.json (mode 0600)."
    })
final class LoginCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--control-plane",
      required = true,
      paramLabel = "URL",
      description = "The Ward control plane, e.g. https://ward.example.com.")
  String controlPlane;

  @Option(
      names = "--tenant",
      required = true,
      paramLabel = "NAME",
      description = "Your organisation's short name (or its name).")
  String tenant;

  Map<String, String> environment = System.getenv();
  OidcClient.Sleeper sleeper = d -> Thread.sleep(d.toMillis());

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      String base = controlPlane.strip().replaceAll("/+$", "").replaceAll("/api/v1$", "");
      JsonNode where = ControlPlane.discover(base, tenant.strip());
      String issuer = where.path("issuer").asText("");
      String clientId = where.path("cliClientId").asText("ward-cli");
      if (issuer.isEmpty()) {
        throw new ControlPlane.Failure(
            "the control plane names no identity provider for tenant " + tenant);
      }
      OidcClient realm = new OidcClient(issuer, clientId);
      OidcClient.DeviceCode code = realm.startDeviceAuthorization();
      out.println("To sign in to " + where.path("tenant").asText(tenant) + ", open");
      out.println("  " + code.verificationUri());
      out.println("and enter the code  " + code.userCode());
      if (code.verificationUriComplete() != null) {
        out.println("(or open " + code.verificationUriComplete() + ")");
      }
      out.println("Waiting for the approval...");
      out.flush();
      OidcClient.Tokens tokens = realm.awaitApproval(code, sleeper);
      Credentials c =
          new Credentials(
                  base, where.path("tenant").asText(tenant), issuer, clientId, null, null, 0, 0)
              .withTokens(tokens);
      c.save(environment);
      out.println(
          "Signed in to "
              + c.tenant()
              + " as "
              + person(tokens.accessToken())
              + ". Saved to "
              + Credentials.file(environment)
              + ".");
      return 0;
    } catch (ControlPlane.Failure e) {
      spec.commandLine().getErr().println("ward login: " + e.getMessage());
      return 1;
    }
  }

  /** The email (or user name) in the access token, for the confirmation line only. */
  static String person(String accessToken) {
    try {
      String[] parts = accessToken.split("\\.");
      JsonNode claims =
          new ObjectMapper()
              .readTree(
                  new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.path("email").asText(claims.path("preferred_username").asText("you"));
    } catch (Exception e) {
      return "you";
    }
  }
}
