package dev.ward.controlplane.audit.repository;

import dev.ward.controlplane.audit.AuditEvent;
import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's audit events. */
@ApplicationScoped
public class AuditRepository extends TenantScopedRepository<AuditEvent> {

  public AuditRepository() {
    super(AuditEvent.class, "Audit event");
  }
}
