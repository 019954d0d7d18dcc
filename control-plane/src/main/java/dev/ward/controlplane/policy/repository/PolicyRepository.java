package dev.ward.controlplane.policy.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.policy.Policy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The caller's policies. */
@ApplicationScoped
public class PolicyRepository extends TenantScopedRepository<Policy> {

  public PolicyRepository() {
    super(Policy.class, "Policy");
  }

  /** The caller's policy of that name, if any. */
  public Uni<Optional<Policy>> findByName(String name) {
    return find("e.name = :name", Map.of("name", name), "").map(list -> list.stream().findFirst());
  }
}
