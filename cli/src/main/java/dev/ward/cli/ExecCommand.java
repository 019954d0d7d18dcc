package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward exec --connection NAME -- COMMAND...}: runs a command (an AI coding agent, a script,
 * psql) with grants for the named connections in its environment, all in one work session, so
 * everything the run touches is tied together in Ward's recordings.
 */
@Command(
    name = "exec",
    description = {
      "Run a command with grants for connections in its environment, under one work session.",
      "PostgreSQL settings (PG*) come from the first postgres connection named; model API",
      "settings (OPENAI_BASE_URL, OPENAI_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY) from the",
      "first llm connection, so the tool's prompts go through Ward."
    })
final class ExecCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--connection"},
      required = true,
      description = "A connection to grant. Repeatable.")
  List<String> connections = new ArrayList<>();

  @Option(names = "--actor", description = "The AI agent the command is, e.g. claude-code.")
  String actor;

  @Option(names = "--ttl", description = "Lifetime of the grants in seconds (default 3600).")
  long ttl = 3600;

  @Option(names = "--agent-host", description = "Host of the Ward agent (default 127.0.0.1).")
  String agentHost = "127.0.0.1";

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments.")
  List<String> command;

  @Override
  public Integer call() {
    try {
      ControlPlane cp = ControlPlane.fromEnvironment(System.getenv());
      String workSession = "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      ProcessBuilder child = new ProcessBuilder(command).inheritIO();
      Map<String, String> env = child.environment();
      java.util.Set<String> kindsSet = new java.util.HashSet<>();
      for (String name : connections) {
        JsonNode connection =
            cp.connection(name)
                .orElseThrow(
                    () ->
                        new ControlPlane.Failure(
                            "no connection named " + name + "; `ward connections` lists them"));
        JsonNode grant = cp.grant(connection.get("id").asText(), actor, workSession, ttl);
        Map<String, String> settings = Grants.clientSettings(connection, grant, agentHost);
        // the first connection of a kind sets its client variables (PG*, OPENAI_*, ...)
        String kind = connection.path("kind").asText();
        if (kindsSet.add(kind)) {
          env.putAll(settings);
        }
        String key =
            "WARD_GRANT_" + name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        env.put(key, grant.path("token").asText());
      }
      env.put("WARD_WORK_SESSION", workSession);
      env.remove("WARD_API_TOKEN");
      Process p = child.start();
      return p.waitFor();
    } catch (ControlPlane.Failure e) {
      spec.commandLine().getErr().println("ward exec: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("ward exec: cannot run " + command.get(0) + ": " + e.getMessage());
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
