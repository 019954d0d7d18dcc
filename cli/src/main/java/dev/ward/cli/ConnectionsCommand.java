package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ward connections}: the connections you can ask a grant for. */
@Command(name = "connections", description = "List the connections you can connect to.")
final class ConnectionsCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      JsonNode page = ControlPlane.fromEnvironment(System.getenv()).connections();
      if (page.path("items").isEmpty()) {
        out.println(
            "No connections yet: an admin adds them in the console or with POST /api/v1/connections.");
        return 0;
      }
      out.printf("%-24s %-9s %s%n", "NAME", "KIND", "LISTENS ON");
      for (JsonNode c : page.path("items")) {
        String host = c.path("listenHost").asText("");
        out.printf(
            "%-24s %-9s %s:%s%n",
            c.path("name").asText(),
            c.path("kind").asText(),
            host.isEmpty() ? "*" : host,
            c.path("listenPort").asText());
      }
      return 0;
    } catch (ControlPlane.Failure e) {
      spec.commandLine().getErr().println("ward connections: " + e.getMessage());
      return 1;
    }
  }
}
