package dev.ward.controlplane.approval.rest;

import dev.ward.controlplane.approval.Approval;
import dev.ward.controlplane.approval.repository.ApprovalRepository;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** The tenant's approval requests, read-only; deciding them comes with the approvals API. */
@Path("/api/v1/approvals")
@RolesAllowed({Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR})
public class ApprovalResource {

  private static final Sorting SORTING =
      Sorting.by("-requestedAt", Map.of("requestedAt", "requestedAt", "state", "state"));

  private final ApprovalRepository approvals;

  public ApprovalResource(ApprovalRepository approvals) {
    this.approvals = approvals;
  }

  /** An approval request as the API shows it. */
  public record ApprovalView(
      UUID id,
      String requestId,
      UUID sessionId,
      UUID connectionId,
      String subject,
      String actor,
      String operation,
      String rule,
      String approverGroup,
      int minApprovals,
      String state,
      OffsetDateTime requestedAt,
      OffsetDateTime expiresAt,
      OffsetDateTime decidedAt,
      String decidedBy) {

    static ApprovalView of(Approval a) {
      return new ApprovalView(
          a.id,
          a.requestId,
          a.sessionId,
          a.connectionId,
          a.subject,
          a.actor,
          a.operation,
          a.rule,
          a.approverGroup,
          a.minApprovals,
          a.state,
          a.requestedAt,
          a.expiresAt,
          a.decidedAt,
          a.decidedBy);
    }
  }

  @GET
  @WithSession
  public Uni<Page<ApprovalView>> list(
      @BeanParam ListParams paging, @QueryParam("state") String state) {
    return approvals
        .page(Criteria.all().equal("state", state), paging.toRequest(), SORTING)
        .map(page -> page.map(ApprovalView::of));
  }
}
