package dev.ward.controlplane.security;

import dev.ward.controlplane.common.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/**
 * The tenant of the current request, taken from the caller's verified identity — never from a path
 * or body parameter. Repositories read it, so no endpoint can forget to filter.
 */
@RequestScoped
public class TenantScope {

  private final SecurityIdentity identity;

  public TenantScope(SecurityIdentity identity) {
    this.identity = identity;
  }

  /** The caller's tenant; a caller without one (the platform bootstrap) is refused. */
  public UUID tenantId() {
    UUID tenant = identity.getAttribute(Roles.TENANT_ATTRIBUTE);
    if (tenant == null) {
      throw Problem.forbidden("This call acts on a tenant; use a token that belongs to one.");
    }
    return tenant;
  }

  /** Who is acting, for the audit log. */
  public String actor() {
    if (identity.isAnonymous()) {
      return "anonymous";
    }
    String email = identity.getAttribute(RealmIdentityAugmentor.EMAIL);
    return email != null ? email : identity.getPrincipal().getName();
  }
}
