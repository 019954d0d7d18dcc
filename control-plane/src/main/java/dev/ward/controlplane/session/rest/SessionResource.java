package dev.ward.controlplane.session.rest;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.common.rest.QueryValues;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.session.SessionSummary;
import dev.ward.controlplane.session.repository.SessionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.OffsetDateTime;
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

  private final SessionRepository sessions;

  public SessionResource(SessionRepository sessions) {
    this.sessions = sessions;
  }

  /** A session as the index shows it. */
  public record SessionView(
      UUID id,
      UUID agentId,
      UUID connectionId,
      String workSessionId,
      String subject,
      String email,
      String actor,
      String state,
      OffsetDateTime startedAt,
      OffsetDateTime endedAt,
      long statementCount,
      long maskedCount,
      long blockedCount,
      String recordingPrefix,
      Long policyVersion,
      String searchText) {

    static SessionView of(SessionSummary s) {
      return new SessionView(
          s.id,
          s.agentId,
          s.connectionId,
          s.workSessionId,
          s.subject,
          s.email,
          s.actor,
          s.state,
          s.startedAt,
          s.endedAt,
          s.statementCount,
          s.maskedCount,
          s.blockedCount,
          s.recordingPrefix,
          s.policyVersion,
          s.searchText);
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
      @QueryParam("q") String q) {
    if (q != null && q.length() > QUERY_LIMIT) {
      throw Problem.invalidField("q", "at most " + QUERY_LIMIT + " characters");
    }
    Criteria criteria =
        Criteria.all()
            .equalToAny(blankToNull(engineer), "subject", "email")
            .equal("subject", blankToNull(subject))
            .equal("actor", blankToNull(actor))
            .equal("connectionId", QueryValues.uuid("connectionId", connectionId))
            .equal("agentId", QueryValues.uuid("agentId", agentId))
            .equal("state", blankToNull(state))
            .atLeast("startedAt", QueryValues.instant("from", from))
            .before("startedAt", QueryValues.instant("to", to))
            .contains("searchText", q == null ? null : q.strip());
    return sessions
        .page(criteria, paging.toRequest(), SORTING)
        .map(page -> page.map(SessionView::of));
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
}
