package dev.ward.controlplane.connection.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.connection.Connection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The caller's connections. */
@ApplicationScoped
public class ConnectionRepository extends TenantScopedRepository<Connection> {

  public ConnectionRepository() {
    super(Connection.class, "Connection");
  }

  public Uni<Optional<Connection>> findByName(String name) {
    return find("e.name = :name", Map.of("name", name), "").map(list -> list.stream().findFirst());
  }

  /** The caller's connections listening on this port, whichever agents serve them. */
  public Uni<List<Connection>> onPort(int port) {
    return find("e.listenPort = :port", Map.of("port", port), "e.name");
  }

  /** Names of the caller's connections that enforce this policy. */
  public Uni<List<String>> namesUsingPolicy(UUID policyId) {
    return find("e.policyId = :policy", Map.of("policy", policyId), "e.name")
        .map(list -> list.stream().map(c -> c.name).toList());
  }
}
