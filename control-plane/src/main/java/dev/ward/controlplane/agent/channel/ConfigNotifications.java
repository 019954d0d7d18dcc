package dev.ward.controlplane.agent.channel;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How a change made on any control-plane replica reaches the agents held by this one: the database
 * notifies {@code ward_config} with the tenant id when a config version bump commits, and {@code
 * ward_agent_revoked} with the agent id when an agent is revoked (triggers in V3__config_push.sql).
 * This replica LISTENs on its own connection, reconnects when it drops, and after a reconnect
 * republishes to every tenant it serves, since notifications sent meanwhile are lost.
 */
@ApplicationScoped
public class ConfigNotifications {

  static final String CONFIG_CHANNEL = "ward_config";
  static final String REVOKED_CHANNEL = "ward_agent_revoked";
  private static final Logger LOG = Logger.getLogger(ConfigNotifications.class);
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final AgentStreams streams;
  private final PgConnectOptions options;
  private volatile PgSubscriber subscriber;
  private volatile boolean listening;
  private volatile boolean stopped;

  public ConfigNotifications(
      Vertx vertx,
      AgentStreams streams,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.vertx = vertx;
    this.streams = streams;
    this.options =
        PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(14) : url)
            .setUser(user)
            .setPassword(password.orElse(""));
  }

  void start(@Observes StartupEvent event) {
    subscriber = PgSubscriber.subscriber(vertx, options);
    // After a drop, PgSubscriber reconnects and LISTENs again by itself, every second.
    subscriber.reconnectPolicy(attempts -> RETRY_MS);
    subscriber.closeHandler(
        ignored -> {
          listening = false;
          if (!stopped) {
            LOG.warn("Lost the config notification connection; reconnecting");
          }
        });
    subscriber
        .channel(CONFIG_CHANNEL)
        .subscribeHandler(
            ignored -> {
              listening = true;
              streams.publishAll();
            })
        .handler(payload -> tenant(payload, streams::publish));
    subscriber
        .channel(REVOKED_CHANNEL)
        .handler(payload -> tenant(payload, id -> streams.disconnect(id, "the agent was revoked")));
    connect();
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    PgSubscriber s = subscriber;
    if (s != null) {
      s.close();
    }
  }

  /** Whether this replica currently hears config changes; readiness depends on it. */
  public boolean listening() {
    return listening;
  }

  private void connect() {
    subscriber.connect(
        result -> {
          if (result.failed() && !stopped) {
            LOG.warnf(
                "Could not listen for config changes (%s); retrying", result.cause().getMessage());
            vertx.setTimer(RETRY_MS, ignored -> connect());
          }
        });
  }

  private static void tenant(String payload, java.util.function.Consumer<UUID> action) {
    try {
      action.accept(UUID.fromString(payload));
    } catch (IllegalArgumentException e) {
      LOG.warnf("Ignoring a malformed notification payload");
    }
  }
}
