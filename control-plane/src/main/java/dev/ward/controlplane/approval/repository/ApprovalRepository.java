package dev.ward.controlplane.approval.repository;

import dev.ward.controlplane.approval.Approval;
import dev.ward.controlplane.common.persistence.TenantScopedRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's approval requests. */
@ApplicationScoped
public class ApprovalRepository extends TenantScopedRepository<Approval> {

  public ApprovalRepository() {
    super(Approval.class, "Approval");
  }
}
