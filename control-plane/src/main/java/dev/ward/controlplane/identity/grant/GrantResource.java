package dev.ward.controlplane.identity.grant;

import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Grants for a connection: what a person or an AI agent presents to use it. */
@Path("/api/v1/connections/{id}/grants")
public class GrantResource {

  private final Grants grants;

  public GrantResource(Grants grants) {
    this.grants = grants;
  }

  /** Body of a grant request; every field is optional. */
  public record GrantRequest(
      @Size(max = 100)
          @Pattern(regexp = "[A-Za-z0-9._@:/-]*", message = "use letters, digits and . _ @ : / -")
          String actor,
      @Size(max = 100)
          @Pattern(regexp = "[A-Za-z0-9._-]*", message = "use letters, digits and . _ -")
          String workSessionId,
      @Positive @Max(43_200) Long ttlSeconds) {}

  @POST
  @WithTransaction
  @RolesAllowed({Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR, Roles.MEMBER})
  public Uni<Response> grant(@PathParam("id") UUID connection, @Valid GrantRequest body) {
    GrantRequest b = body == null ? new GrantRequest(null, null, null) : body;
    return grants
        .mint(connection, new Grants.Request(b.actor(), b.workSessionId(), b.ttlSeconds()))
        .map(
            issued ->
                Response.status(201).entity(issued).header("Cache-Control", "no-store").build());
  }
}
