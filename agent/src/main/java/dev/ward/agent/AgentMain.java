package dev.ward.agent;

import dev.ward.agent.config.AgentSettings;
import java.nio.file.Path;

/**
 * Starts a Ward agent: {@code ward-agent [--config FILE]}. Settings come from the file and from
 * WARD_AGENT_* environment variables; see "The agent's settings" in docs/architecture.md.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    LogFormat.install();
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if ("--help".equals(args[i]) || "-h".equals(args[i])) {
        System.out.println(
            "usage: ward-agent [--config FILE]   (settings: docs/architecture.md, \"The agent's settings\")");
        return;
      } else {
        System.err.println("ward-agent: unknown argument " + args[i] + "; try --help");
        System.exit(2);
      }
    }
    if (configFile == null && System.getenv("WARD_AGENT_CONFIG") != null) {
      configFile = Path.of(System.getenv("WARD_AGENT_CONFIG"));
    }
    AgentSettings settings;
    try {
      settings = AgentSettings.load(configFile, System.getenv());
    } catch (AgentSettings.InvalidSettingsException e) {
      System.err.println("ward-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent = new Agent(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "ward-agent-shutdown"));
    exitCleanlyOnStopSignals();
    try {
      agent.start();
    } catch (Exception e) {
      System.err.println("ward-agent: could not start: " + e.getMessage());
      agent.close();
      System.exit(1);
    }
  }

  /**
   * SIGTERM and SIGINT ask for an orderly stop: the shutdown hook ends every session with a goodbye
   * and seals its recording, and the agent then exits with status 0. Without this the JVM exits
   * with 143 (128 + SIGTERM), which service managers such as systemd report as a failure.
   */
  @SuppressWarnings("sunapi")
  private static void exitCleanlyOnStopSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> System.exit(0));
      } catch (IllegalArgumentException e) {
        // the signal is reserved here (e.g. -Xrs); the JVM's own handling applies
      }
    }
  }
}
