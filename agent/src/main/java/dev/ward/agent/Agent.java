package dev.ward.agent;

import dev.ward.agent.channel.ConfigCache;
import dev.ward.agent.channel.ControlPlaneChannel;
import dev.ward.agent.config.AgentSettings;
import dev.ward.agent.config.EnforcedConfig;
import dev.ward.agent.health.HealthServer;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Hello;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One running Ward agent: the config it enforces, its channel to the control plane, and its health
 * endpoint. Protocol listeners and the recorder attach to the enforced config.
 */
public final class Agent implements AutoCloseable {

  private static final Logger LOG = System.getLogger(Agent.class.getName());

  private final AgentSettings settings;
  private final Vertx vertx = Vertx.vertx();
  private final EnforcedConfig config;
  private HealthServer health;
  private ControlPlaneChannel channel;
  private volatile int healthPort = -1;

  public Agent(AgentSettings settings) {
    this.settings = settings;
    this.config = new EnforcedConfig(new ConfigCache(settings.dataDir()));
  }

  public void start() throws Exception {
    Files.createDirectories(settings.dataDir());
    LOG.log(Level.INFO, "Ward agent {0} starting: {1}", version(), settings);
    ConfigCache cache = new ConfigCache(settings.dataDir());
    cache
        .load()
        .ifPresent(
            snapshot -> {
              LOG.log(
                  Level.INFO,
                  "Enforcing cached config version {0} until the control plane answers",
                  snapshot.getVersion());
              join(config.restore(snapshot));
            });
    health = new HealthServer(vertx, this::readiness);
    healthPort =
        health
            .start(settings.healthHost(), settings.healthPort())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    LOG.log(
        Level.INFO,
        "Health endpoints on http://{0}:{1}/healthz and /readyz",
        settings.healthHost(),
        String.valueOf(healthPort));
    channel =
        new ControlPlaneChannel(
            settings,
            vertx,
            config::apply,
            Hello.newBuilder().setVersion(version()).setHostname(hostname()),
            config.current().map(ConfigSnapshot::getVersion).orElse(0L));
    channel.start();
  }

  private HealthServer.Readiness readiness() {
    var current = config.current();
    JsonObject details =
        new JsonObject()
            .put("configVersion", current.map(ConfigSnapshot::getVersion).orElse(0L))
            .put(
                "controlPlane",
                channel != null && channel.connected() ? "connected" : "disconnected");
    return new HealthServer.Readiness(current.isPresent(), details);
  }

  /** The port of the health server once started. */
  public int healthPort() {
    return healthPort;
  }

  static String version() {
    try (InputStream in = Agent.class.getResourceAsStream("/ward-agent-version.txt")) {
      return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "dev";
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void join(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Cached config could not be applied: {0}", e.getMessage());
    }
  }

  @Override
  public void close() {
    LOG.log(Level.INFO, "Ward agent stopping");
    if (channel != null) {
      channel.close();
    }
    if (health != null) {
      health.stop();
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Vert.x did not close cleanly: {0}", e.getMessage());
    }
  }
}
