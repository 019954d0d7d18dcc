package dev.ward.controlplane.identity.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.identity.UserGroup;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's groups. */
@ApplicationScoped
public class UserGroupRepository extends TenantScopedRepository<UserGroup> {

  public UserGroupRepository() {
    super(UserGroup.class, "Group");
  }
}
