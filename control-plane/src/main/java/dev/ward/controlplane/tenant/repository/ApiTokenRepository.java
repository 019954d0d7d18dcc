package dev.ward.controlplane.tenant.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.tenant.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's API tokens. */
@ApplicationScoped
public class ApiTokenRepository extends TenantScopedRepository<ApiToken> {

  public ApiTokenRepository() {
    super(ApiToken.class, "API token");
  }
}
