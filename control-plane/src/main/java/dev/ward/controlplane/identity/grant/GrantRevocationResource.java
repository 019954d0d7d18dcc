package dev.ward.controlplane.identity.grant;

import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Revokes a grant, or a whole work session, before it expires; agents refuse it within a second.
 */
@Path("/api/v1/grants")
public class GrantRevocationResource {

  private final Grants grants;

  public GrantRevocationResource(Grants grants) {
    this.grants = grants;
  }

  /** A revocation: a grant id (jti) or a work-session id (sid). */
  public record Revocation(@NotBlank @Size(max = 100) String id) {}

  @POST
  @Path("revoke")
  @WithTransaction
  @RolesAllowed({Roles.ADMIN, Roles.APPROVER})
  public Uni<Response> revoke(@Valid Revocation body) {
    return grants.revoke(body.id()).map(ignored -> Response.noContent().build());
  }
}
