package dev.ward.controlplane.agent.channel;

import dev.ward.controlplane.approval.service.ApprovalRecord;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ControlMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How a decision made on any replica reaches the agent that holds the operation: the database
 * notifies {@code ward_approval} with the request's row id when its state leaves pending (trigger
 * in V8__approvals.sql); every replica reads the decision and the one holding the agent's stream
 * sends it. The same pattern as {@link ConfigNotifications}, on its own connection. After the
 * listening connection comes back, recent decisions are sent again to the agents held here, since
 * notifications sent meanwhile are lost (an agent ignores a decision it no longer waits for).
 */
@ApplicationScoped
public class ApprovalNotifications {

  static final String CHANNEL = "ward_approval";
  private static final Logger LOG = Logger.getLogger(ApprovalNotifications.class);
  private static final long RETRY_MS = 1_000;
  private static final String DECISION =
      "SELECT "
          + ApprovalRecord.COLUMNS
          + " FROM approvals WHERE state IN ('approved', 'denied', 'expired', 'cancelled')"
          + " AND agent_id IS NOT NULL AND ";

  private final Vertx vertx;
  private final Pool pool;
  private final AgentStreams streams;
  private final PgConnectOptions options;
  private volatile PgSubscriber subscriber;
  private volatile boolean stopped;

  public ApprovalNotifications(
      Vertx vertx,
      Pool pool,
      AgentStreams streams,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.vertx = vertx;
    this.pool = pool;
    this.streams = streams;
    this.options =
        PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(14) : url)
            .setUser(user)
            .setPassword(password.orElse(""));
  }

  void start(@Observes StartupEvent event) {
    subscriber = PgSubscriber.subscriber(vertx, options);
    subscriber.reconnectPolicy(attempts -> RETRY_MS);
    subscriber.channel(CHANNEL).subscribeHandler(ignored -> resendRecent()).handler(this::decided);
    connect();
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    PgSubscriber s = subscriber;
    if (s != null) {
      s.close();
    }
  }

  private void connect() {
    subscriber.connect(
        result -> {
          if (result.failed() && !stopped) {
            LOG.warnf(
                "Could not listen for approval decisions (%s); retrying",
                result.cause().getMessage());
            vertx.setTimer(RETRY_MS, ignored -> connect());
          }
        });
  }

  private void decided(String payload) {
    UUID id;
    try {
      id = UUID.fromString(payload);
    } catch (IllegalArgumentException e) {
      LOG.warnf("Ignoring a malformed approval notification");
      return;
    }
    if (streams.size() == 0) {
      return;
    }
    send(pool.preparedQuery(DECISION + "id = $1").execute(Tuple.of(id)));
  }

  private void resendRecent() {
    Set<UUID> held = streams.agentIds();
    if (held.isEmpty()) {
      return;
    }
    send(
        pool.preparedQuery(
                DECISION + "agent_id = ANY($1) AND decided_at > now() - interval '1 hour'")
            .execute(Tuple.of(held.toArray(UUID[]::new))));
  }

  private void send(io.smallrye.mutiny.Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> query) {
    query
        .subscribe()
        .with(
            rows -> {
              for (Row r : rows) {
                ApprovalRecord a = ApprovalRecord.of(r);
                ApprovalDecision d = a.decision();
                if (d != null) {
                  streams.send(
                      a.agentId(), ControlMessage.newBuilder().setApprovalDecision(d).build());
                }
              }
            },
            e -> LOG.warnf("Could not read an approval decision: %s", e.getMessage()));
  }
}
