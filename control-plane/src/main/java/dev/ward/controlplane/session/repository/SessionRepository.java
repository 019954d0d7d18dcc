package dev.ward.controlplane.session.repository;

import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import dev.ward.controlplane.session.SessionSummary;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's session index. */
@ApplicationScoped
public class SessionRepository extends TenantScopedRepository<SessionSummary> {

  public SessionRepository() {
    super(SessionSummary.class, "Session");
  }
}
