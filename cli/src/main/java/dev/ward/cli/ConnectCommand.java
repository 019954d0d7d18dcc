package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward connect NAME}: gets a grant for one connection and prints how to use it — a DSN for
 * PostgreSQL clients, or environment lines with {@code --env}.
 */
@Command(
    name = "connect",
    description = "Get a short-lived grant for a connection and print how to use it.")
final class ConnectCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The connection's name.")
  String name;

  @Option(names = "--actor", description = "The AI agent acting for you, e.g. claude-code.")
  String actor;

  @Option(names = "--ttl", description = "Lifetime in seconds (default 3600, at most 43200).")
  long ttl = 3600;

  @Option(names = "--env", description = "Print PG* environment lines instead of a DSN.")
  boolean env;

  @Option(
      names = "--agent-host",
      description = "Host of the Ward agent when the connection listens on all interfaces.")
  String agentHost = "127.0.0.1";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      ControlPlane cp = ControlPlane.fromEnvironment(System.getenv());
      JsonNode connection =
          cp.connection(name)
              .orElseThrow(
                  () ->
                      new ControlPlane.Failure(
                          "no connection named " + name + "; `ward connections` lists them"));
      JsonNode grant = cp.grant(connection.get("id").asText(), actor, null, ttl);
      Map<String, String> values = Grants.clientSettings(connection, grant, agentHost);
      if (env) {
        values.forEach((k, v) -> out.println(k + "=" + Grants.shellQuote(v)));
      } else if ("postgres".equals(connection.path("kind").asText())) {
        out.println(Grants.postgresDsn(values));
      } else {
        values.forEach((k, v) -> out.println(k + "=" + Grants.shellQuote(v)));
      }
      return 0;
    } catch (ControlPlane.Failure e) {
      spec.commandLine().getErr().println("ward connect: " + e.getMessage());
      return 1;
    }
  }
}
