package dev.ward.controlplane.approval.rest;

import dev.ward.controlplane.approval.Approval;
import dev.ward.controlplane.approval.repository.ApprovalRepository;
import dev.ward.controlplane.approval.service.ApprovalVotes;
import dev.ward.controlplane.approval.service.Approver;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.security.RealmIdentityAugmentor;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The tenant's approval requests: list and read them, approve (or grant a time box), deny with a
 * reason, cancel. Deciding needs the approver role and membership of one of the rule's approver
 * groups; cancelling is for the engineer who sent the operation, or an admin.
 */
@Path("/api/v1/approvals")
@RolesAllowed({Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR})
public class ApprovalResource {

  private static final Set<String> STATES =
      Set.of("pending", "approved", "denied", "expired", "cancelled", "withdrawn");

  private static final Sorting SORTING =
      Sorting.by("-requestedAt", Map.of("requestedAt", "requestedAt", "state", "state"));

  private final ApprovalRepository approvals;
  private final ApprovalVotes votes;
  private final TenantScope scope;
  private final SecurityIdentity identity;

  public ApprovalResource(
      ApprovalRepository approvals,
      ApprovalVotes votes,
      TenantScope scope,
      SecurityIdentity identity) {
    this.approvals = approvals;
    this.votes = votes;
    this.scope = scope;
    this.identity = identity;
  }

  /** Body of an approval; with {@code timeBoxMinutes} it grants a time box instead. */
  public record Approve(Integer timeBoxMinutes) {}

  /** Body of a denial: the reason is required and shown to the engineer. */
  public record Deny(String reason) {}

  /** Body of a cancellation; the reason is optional. */
  public record Cancel(String reason) {}

  /** An approval request as the API shows it. */
  public record ApprovalView(
      UUID id,
      String requestId,
      UUID sessionId,
      UUID connectionId,
      String subject,
      String email,
      String actor,
      String operation,
      String rule,
      String approverGroup,
      int minApprovals,
      String state,
      OffsetDateTime requestedAt,
      OffsetDateTime expiresAt,
      OffsetDateTime decidedAt,
      String decidedBy,
      String reason) {

    static ApprovalView of(Approval a) {
      return new ApprovalView(
          a.id,
          a.requestId,
          a.sessionId,
          a.connectionId,
          a.subject,
          a.email,
          a.actor,
          a.operation,
          a.rule,
          a.approverGroup,
          a.minApprovals,
          a.state,
          a.requestedAt,
          a.expiresAt,
          a.decidedAt,
          a.decidedBy,
          a.reason);
    }
  }

  @GET
  @WithSession
  public Uni<Page<ApprovalView>> list(
      @BeanParam ListParams paging, @QueryParam("state") String state) {
    if (state != null && !STATES.contains(state)) {
      throw Problem.invalidField("state", "one of " + String.join(", ", new TreeSet<>(STATES)));
    }
    return approvals
        .page(Criteria.all().equal("state", state), paging.toRequest(), SORTING)
        .map(page -> page.map(ApprovalView::of));
  }

  @GET
  @Path("{id}")
  public Uni<ApprovalDetail> get(@PathParam("id") UUID id) {
    return votes.get(scope.tenantId(), id).map(ApprovalDetail::of);
  }

  @POST
  @Path("{id}/approve")
  @RolesAllowed({Roles.ADMIN, Roles.APPROVER})
  public Uni<ApprovalDetail> approve(@PathParam("id") UUID id, Approve body) {
    return votes
        .approve(scope.tenantId(), id, approver(), body == null ? null : body.timeBoxMinutes())
        .map(ApprovalDetail::of);
  }

  @POST
  @Path("{id}/deny")
  @RolesAllowed({Roles.ADMIN, Roles.APPROVER})
  public Uni<ApprovalDetail> deny(@PathParam("id") UUID id, Deny body) {
    String reason = ApprovalVotes.reasonOf(body == null ? null : body.reason());
    return votes.deny(scope.tenantId(), id, approver(), reason).map(ApprovalDetail::of);
  }

  @POST
  @Path("{id}/cancel")
  @RolesAllowed({Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR, Roles.MEMBER})
  public Uni<ApprovalDetail> cancel(@PathParam("id") UUID id, Cancel body) {
    return votes
        .cancel(scope.tenantId(), id, approver(), body == null ? null : body.reason())
        .map(ApprovalDetail::of);
  }

  /** The caller as an approver: grants name them by principal, groups are their roles. */
  private Approver approver() {
    return new Approver(
        identity.getPrincipal().getName(),
        identity.getAttribute(RealmIdentityAugmentor.EMAIL),
        Set.copyOf(identity.getRoles()),
        identity.hasRole(Roles.ADMIN),
        "api");
  }
}
