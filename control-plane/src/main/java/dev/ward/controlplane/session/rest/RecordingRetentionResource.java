package dev.ward.controlplane.session.rest;

import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.util.UUID;

/**
 * How long the tenant keeps session recordings: after {@code days} days from a session's end, the
 * retention job deletes its recording from the bucket (never one under legal hold). {@code null}
 * keeps recordings forever.
 */
@Path("/api/v1/recording-retention")
@RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
public class RecordingRetentionResource {

  private final TenantScope scope;
  private final AuditLog audit;

  public RecordingRetentionResource(TenantScope scope, AuditLog audit) {
    this.scope = scope;
    this.audit = audit;
  }

  /** The tenant's retention; {@code days} null means recordings are kept forever. */
  public record Retention(@Min(1) @Max(36500) Integer days) {}

  @GET
  @WithSession
  public Uni<Retention> get() {
    return current(scope.tenantId());
  }

  /** Sets (or, with {@code days} null, removes) the tenant's retention. Admins only; audited. */
  @PUT
  @RolesAllowed(Roles.ADMIN)
  @WithTransaction
  public Uni<Retention> set(@Valid @NotNull Retention body) {
    UUID tenant = scope.tenantId();
    return current(tenant)
        .chain(
            before ->
                Panache.getSession()
                    .chain(
                        s ->
                            s.createNativeQuery(
                                    "UPDATE tenants SET recording_retention_days = :days"
                                        + " WHERE id = :tenant")
                                .setParameter("days", body.days())
                                .setParameter("tenant", tenant)
                                .executeUpdate())
                    .chain(
                        n ->
                            audit.record(
                                "tenant.recording-retention-set", "tenant", tenant, before, body))
                    .replaceWith(body));
  }

  private static Uni<Retention> current(UUID tenant) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "SELECT recording_retention_days FROM tenants WHERE id = :tenant",
                        Integer.class)
                    .setParameter("tenant", tenant)
                    .getSingleResultOrNull())
        .map(Retention::new);
  }
}
