package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ward whoami}: who the control plane takes you for. */
@Command(name = "whoami", description = "Show who you are signed in as.")
final class WhoAmICommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      JsonNode me = ControlPlane.fromEnvironment(environment).me();
      String email = me.path("email").asText("");
      out.println(email.isEmpty() ? me.path("subject").asText() : email);
      out.println("  subject  " + me.path("subject").asText());
      out.println("  tenant   " + me.path("tenantId").asText());
      List<String> roles = new ArrayList<>();
      me.path("roles").forEach(r -> roles.add(r.asText()));
      out.println("  roles    " + String.join(", ", roles));
      if (!me.path("ownerEmail").asText("").isEmpty()) {
        out.println("  owner    " + me.path("ownerEmail").asText());
      }
      return 0;
    } catch (ControlPlane.Failure e) {
      spec.commandLine().getErr().println("ward whoami: " + e.getMessage());
      return 1;
    }
  }
}
