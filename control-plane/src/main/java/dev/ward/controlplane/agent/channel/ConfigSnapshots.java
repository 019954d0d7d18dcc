package dev.ward.controlplane.agent.channel;

import dev.ward.proto.channel.v1.ConfigSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Assembles the configuration snapshot that one tenant's agents enforce. */
@ApplicationScoped
public class ConfigSnapshots {

  private final Pool pool;
  private final String consoleUrl;

  public ConfigSnapshots(Pool pool, @ConfigProperty(name = "ward.console-url") String consoleUrl) {
    this.pool = pool;
    this.consoleUrl = consoleUrl;
  }

  public Uni<ConfigSnapshot> snapshotFor(UUID tenantId) {
    return pool.preparedQuery("SELECT config_version FROM tenants WHERE id = $1")
        .execute(Tuple.of(tenantId))
        .map(
            rows ->
                ConfigSnapshot.newBuilder()
                    .setVersion(rows.iterator().next().getLong("config_version"))
                    .setTenantId(tenantId.toString())
                    .setConsoleUrl(consoleUrl)
                    .build());
  }
}
