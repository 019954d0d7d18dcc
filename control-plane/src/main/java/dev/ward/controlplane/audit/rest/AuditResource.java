package dev.ward.controlplane.audit.rest;

import dev.ward.controlplane.audit.repository.AuditRepository;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.common.rest.QueryValues;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.Map;

/** The tenant's audit log: every administrative change, filtered and paged. Read-only. */
@Path("/api/v1/audit")
public class AuditResource {

  private static final Sorting SORTING =
      Sorting.by(
          "-occurredAt",
          Map.of(
              "occurredAt", "occurredAt",
              "actor", "actor",
              "action", "action",
              "targetType", "targetType"));

  private final AuditRepository events;

  public AuditResource(AuditRepository events) {
    this.events = events;
  }

  /**
   * Audit events, newest first by default.
   *
   * @param from events at or after this instant (ISO-8601, e.g. 2025-01-31T10:00:00Z)
   * @param to events before this instant
   */
  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
  public Uni<Page<AuditEventView>> list(
      @BeanParam ListParams paging,
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("targetType") String targetType,
      @QueryParam("targetId") String targetId,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    Criteria criteria =
        Criteria.all()
            .equal("actor", actor)
            .equal("action", action)
            .equal("targetType", targetType)
            .equal("targetId", targetId)
            .atLeast("occurredAt", QueryValues.instant("from", from))
            .before("occurredAt", QueryValues.instant("to", to));
    return events
        .page(criteria, paging.toRequest(), SORTING)
        .map(page -> page.map(AuditEventView::of));
  }
}
