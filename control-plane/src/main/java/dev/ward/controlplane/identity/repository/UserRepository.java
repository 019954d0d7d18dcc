package dev.ward.controlplane.identity.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.identity.User;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's users. */
@ApplicationScoped
public class UserRepository extends TenantScopedRepository<User> {

  public UserRepository() {
    super(User.class, "User");
  }
}
