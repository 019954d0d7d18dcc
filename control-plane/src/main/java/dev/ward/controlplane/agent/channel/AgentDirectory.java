package dev.ward.controlplane.agent.channel;

import dev.ward.controlplane.security.OpaqueTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * What the agent channel reads and writes about agents: token lookup and live status. Plain SQL on
 * the reactive pool, because the channel runs outside any HTTP request.
 */
@ApplicationScoped
public class AgentDirectory {

  /** An agent that presented a valid token. */
  public record KnownAgent(UUID id, UUID tenantId, String name) {}

  private final Pool pool;

  public AgentDirectory(Pool pool) {
    this.pool = pool;
  }

  /** The agent holding this token, unless the token is unknown or revoked. */
  public Uni<Optional<KnownAgent>> authenticate(String token) {
    return pool.preparedQuery(
            "SELECT id, tenant_id, name FROM agents WHERE token_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(Buffer.buffer(OpaqueTokens.digest(token))))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row r = it.next();
              return Optional.of(
                  new KnownAgent(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("name")));
            });
  }

  public Uni<Void> markConnected(
      UUID agentId, long epoch, String version, String hostname, String recordingKey) {
    return pool.preparedQuery(
            "UPDATE agents SET connected = true, channel_epoch = $2, version = $3, hostname = $4,"
                + " recording_public_key = COALESCE(NULLIF($5, ''), recording_public_key),"
                + " connected_at = now(), last_heartbeat_at = now() WHERE id = $1")
        .execute(Tuple.of(agentId, epoch, version, hostname, recordingKey))
        .replaceWithVoid();
  }

  public Uni<Void> markAcked(UUID agentId, long version) {
    return pool.preparedQuery(
            "UPDATE agents SET config_version_acked = $2, last_heartbeat_at = now() WHERE id = $1")
        .execute(Tuple.of(agentId, version))
        .replaceWithVoid();
  }

  public Uni<Void> heartbeat(UUID agentId) {
    return pool.preparedQuery("UPDATE agents SET last_heartbeat_at = now() WHERE id = $1")
        .execute(Tuple.of(agentId))
        .replaceWithVoid();
  }

  /** Marks the agent offline, unless a newer stream (another epoch) has taken over. */
  public Uni<Void> markDisconnected(UUID agentId, long epoch) {
    return pool.preparedQuery(
            "UPDATE agents SET connected = false WHERE id = $1 AND channel_epoch = $2")
        .execute(Tuple.of(agentId, epoch))
        .replaceWithVoid();
  }
}
