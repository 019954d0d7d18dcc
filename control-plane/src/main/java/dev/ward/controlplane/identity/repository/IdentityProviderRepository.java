package dev.ward.controlplane.identity.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.identity.IdentityProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The caller's identity providers. */
@ApplicationScoped
public class IdentityProviderRepository extends TenantScopedRepository<IdentityProvider> {

  public IdentityProviderRepository() {
    super(IdentityProvider.class, "Identity provider");
  }

  public Uni<Optional<IdentityProvider>> findByAlias(String alias) {
    return find("e.alias = :alias", Map.of("alias", alias), "")
        .map(list -> list.stream().findFirst());
  }
}
