package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.identity.IdentityProvider;
import dev.ward.controlplane.identity.service.IdentityProviderService;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * A tenant's identity providers, administered by its admins. Client secrets are write-only. Updates
 * and deletes need the ETag in If-Match.
 */
@Path("/api/v1/identity-providers")
@RolesAllowed(Roles.ADMIN)
public class IdentityProviderResource {

  private final IdentityProviderService providers;

  public IdentityProviderResource(IdentityProviderService providers) {
    this.providers = providers;
  }

  /** Identity providers, by alias unless {@code sort} says otherwise; {@code kind} filters. */
  @GET
  @WithSession
  public Uni<Page<IdentityProviderView>> list(
      @BeanParam ListParams paging, @QueryParam("kind") String kind) {
    return providers.page(kind, paging.toRequest()).map(page -> page.map(IdentityProviderView::of));
  }

  @GET
  @Path("{id}")
  @WithSession
  public Uni<Response> get(@PathParam("id") UUID id) {
    return providers.get(id).map(p -> withTag(Response.ok(IdentityProviderView.of(p)), p));
  }

  @POST
  @WithTransaction
  public Uni<Response> create(@Valid @NotNull IdentityProviderInput body) {
    return providers
        .create(body)
        .map(p -> withTag(Response.status(201).entity(IdentityProviderView.of(p)), p));
  }

  @PUT
  @Path("{id}")
  @WithTransaction
  public Uni<Response> replace(
      @PathParam("id") UUID id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @Valid @NotNull IdentityProviderInput body) {
    ETags.requirePresent(ifMatch);
    return providers
        .replace(id, ifMatch, body)
        .map(p -> withTag(Response.ok(IdentityProviderView.of(p)), p));
  }

  @DELETE
  @Path("{id}")
  @WithTransaction
  public Uni<Response> delete(
      @PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    ETags.requirePresent(ifMatch);
    return providers.delete(id, ifMatch).map(ignored -> Response.noContent().build());
  }

  private static Response withTag(Response.ResponseBuilder response, IdentityProvider p) {
    return response.header(HttpHeaders.ETAG, ETags.of(p.version)).build();
  }
}
