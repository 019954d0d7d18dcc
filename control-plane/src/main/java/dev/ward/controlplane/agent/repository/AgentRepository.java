package dev.ward.controlplane.agent.repository;

import dev.ward.controlplane.agent.Agent;
import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The caller's agents. */
@ApplicationScoped
public class AgentRepository extends TenantScopedRepository<Agent> {

  public AgentRepository() {
    super(Agent.class, "Agent");
  }

  /** The caller's agent of that name, if any. */
  public Uni<Optional<Agent>> findByName(String name) {
    return find("e.name = :name", Map.of("name", name), "").map(list -> list.stream().findFirst());
  }
}
