package dev.ward.controlplane.session.rest;

import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.common.rest.QueryValues;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import dev.ward.controlplane.session.SessionSummary;
import dev.ward.controlplane.session.recording.SessionEvidence;
import dev.ward.controlplane.session.repository.SessionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's session index, for auditors: read-only, newest first, filtered by who, through what,
 * when, and a case-insensitive search of the (masked) statement text.
 */
@Path("/api/v1/sessions")
@RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
public class SessionResource {

  private static final Sorting SORTING =
      Sorting.by(
          "-startedAt", Map.of("startedAt", "startedAt", "subject", "subject", "state", "state"));

  private static final int QUERY_LIMIT = 256;
  private static final List<String> INTEGRITY =
      List.of("unverified", "INTACT", "INTACT_RECOVERED", "TAIL_MISSING", "TAMPERED");

  private final SessionRepository sessions;
  private final SessionEvidence evidence;
  private final TenantScope scope;
  private final AuditLog audit;

  public SessionResource(
      SessionRepository sessions, SessionEvidence evidence, TenantScope scope, AuditLog audit) {
    this.sessions = sessions;
    this.evidence = evidence;
    this.scope = scope;
    this.audit = audit;
  }

  /** A session as the index shows it. */
  public record SessionView(
      UUID id,
      UUID agentId,
      UUID connectionId,
      String workSessionId,
      String subject,
      String email,
      String ownerSubject,
      String ownerEmail,
      String actor,
      String state,
      OffsetDateTime startedAt,
      OffsetDateTime endedAt,
      long statementCount,
      long maskedCount,
      long blockedCount,
      long approvalCount,
      String recordingPrefix,
      Long policyVersion,
      String searchText,
      String integrity,
      String integrityKind,
      Long integritySegment,
      String integrityDetail,
      OffsetDateTime verifiedAt,
      boolean legalHold,
      String legalHoldReason,
      String legalHoldBy,
      OffsetDateTime legalHoldAt,
      OffsetDateTime recordingDeletedAt) {

    static SessionView of(SessionSummary s) {
      return new SessionView(
          s.id,
          s.agentId,
          s.connectionId,
          s.workSessionId,
          s.subject,
          s.email,
          s.ownerSubject,
          s.ownerEmail,
          s.actor,
          s.state,
          s.startedAt,
          s.endedAt,
          s.statementCount,
          s.maskedCount,
          s.blockedCount,
          s.approvalCount,
          s.recordingPrefix,
          s.policyVersion,
          s.searchText,
          s.integrity,
          s.integrityKind,
          s.integritySegment,
          s.integrityDetail,
          s.verifiedAt,
          s.legalHold,
          s.legalHoldReason,
          s.legalHoldBy,
          s.legalHoldAt,
          s.recordingDeletedAt);
    }
  }

  @GET
  @WithSession
  public Uni<Page<SessionView>> list(
      @BeanParam ListParams paging,
      @QueryParam("engineer") String engineer,
      @QueryParam("subject") String subject,
      @QueryParam("actor") String actor,
      @QueryParam("connectionId") String connectionId,
      @QueryParam("agentId") String agentId,
      @QueryParam("state") String state,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("integrity") String integrity,
      @QueryParam("legalHold") Boolean legalHold,
      @QueryParam("workSession") String workSession,
      @QueryParam("q") String q) {
    if (workSession != null && workSession.length() > 128) {
      throw Problem.invalidField("workSession", "at most 128 characters");
    }
    if (q != null && q.length() > QUERY_LIMIT) {
      throw Problem.invalidField("q", "at most " + QUERY_LIMIT + " characters");
    }
    Criteria criteria =
        Criteria.all()
            .equalToAny(blankToNull(engineer), "subject", "email", "ownerSubject", "ownerEmail")
            .equal("subject", blankToNull(subject))
            .equal("actor", blankToNull(actor))
            .equal("workSessionId", blankToNull(workSession))
            .equal("connectionId", QueryValues.uuid("connectionId", connectionId))
            .equal("agentId", QueryValues.uuid("agentId", agentId))
            .equal("state", blankToNull(state))
            .equal("integrity", integrityFilter(integrity))
            .equal("legalHold", legalHold)
            .atLeast("startedAt", QueryValues.instant("from", from))
            .before("startedAt", QueryValues.instant("to", to))
            .contains("searchText", q == null ? null : q.strip());
    return sessions
        .page(criteria, paging.toRequest(), SORTING)
        .map(page -> page.map(SessionView::of));
  }

  private static String integrityFilter(String value) {
    String v = blankToNull(value);
    if (v != null && !INTEGRITY.contains(v)) {
      throw Problem.invalidField("integrity", "one of " + String.join(", ", INTEGRITY));
    }
    return v;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  @GET
  @Path("{id}")
  @WithSession
  public Uni<SessionView> get(@PathParam("id") UUID id) {
    return sessions.get(id).map(SessionView::of);
  }

  /**
   * The session's recorded events in order, decoded for replay: statements and exchanges with
   * timing and (masked) results, masking manifests, guardrail and approval events, start and end.
   */
  @GET
  @Path("{id}/events")
  @Blocking
  public SessionEvidence.EventPage events(
      @PathParam("id") UUID id,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("200") int limit) {
    if (after < 0) {
      throw Problem.invalidField("after", "a sequence number, 0 or more");
    }
    if (limit < 1 || limit > SessionEvidence.MAX_PAGE_EVENTS) {
      throw Problem.invalidField("limit", "between 1 and " + SessionEvidence.MAX_PAGE_EVENTS);
    }
    return evidence.events(scope.tenantId(), id, after, limit);
  }

  /**
   * Verifies the recording in the bucket against the keys its agent announced, and stores the
   * verdict in the index.
   */
  @POST
  @Path("{id}/verify")
  @Blocking
  public SessionEvidence.Verification verify(@PathParam("id") UUID id) {
    return evidence.verify(scope.tenantId(), id, scope.actor());
  }

  /**
   * The raw recording (segments and manifest) and the agent's public keys as a zip, for {@code ward
   * verify} offline.
   */
  @GET
  @Path("{id}/download")
  @Blocking
  @Produces("application/zip")
  public Response download(@PathParam("id") UUID id) {
    UUID tenant = scope.tenantId();
    String actor = scope.actor();
    evidence.checkDownloadable(tenant, id);
    StreamingOutput body = out -> evidence.download(tenant, id, actor, out);
    return Response.ok(body, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"ward-session-" + id + ".zip\"")
        .build();
  }

  /** Body of a legal hold: why the recording must be kept. */
  public record LegalHold(@NotBlank @Size(max = 500) String reason) {}

  /** Places the session under legal hold: retention never deletes its recording while held. */
  @PUT
  @Path("{id}/legal-hold")
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
  @WithTransaction
  public Uni<SessionView> hold(@PathParam("id") UUID id, @Valid @NotNull LegalHold body) {
    return sessions
        .get(id)
        .chain(
            s -> {
              SessionView before = SessionView.of(s);
              if (s.recordingDeletedAt != null) {
                throw Problem.conflict(
                    "The recording of this session was already deleted by retention.");
              }
              s.legalHold = true;
              s.legalHoldReason = body.reason().strip();
              s.legalHoldBy = scope.actor();
              s.legalHoldAt = OffsetDateTime.now();
              SessionView after = SessionView.of(s);
              return audit
                  .record("session.legal-hold-set", "session", id, before, after)
                  .replaceWith(after);
            });
  }

  /** Lifts the legal hold; retention applies again from its next run. Admins only. */
  @DELETE
  @Path("{id}/legal-hold")
  @RolesAllowed(Roles.ADMIN)
  @WithTransaction
  public Uni<SessionView> release(@PathParam("id") UUID id) {
    return sessions
        .get(id)
        .chain(
            s -> {
              SessionView before = SessionView.of(s);
              s.legalHold = false;
              s.legalHoldReason = null;
              s.legalHoldBy = null;
              s.legalHoldAt = null;
              SessionView after = SessionView.of(s);
              return audit
                  .record("session.legal-hold-clear", "session", id, before, after)
                  .replaceWith(after);
            });
  }
}
