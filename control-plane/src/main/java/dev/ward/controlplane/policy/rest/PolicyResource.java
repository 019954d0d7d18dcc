package dev.ward.controlplane.policy.rest;

import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.policy.Policy;
import dev.ward.controlplane.policy.service.PolicyService;
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
 * A tenant's policies. Admins write them; everyone of the tenant may read them, since they say what
 * is allowed. Updates and deletes need the ETag in If-Match.
 */
@Path("/api/v1/policies")
public class PolicyResource {

  private final PolicyService policies;

  public PolicyResource(PolicyService policies) {
    this.policies = policies;
  }

  /** Policies, by name unless {@code sort} says otherwise; {@code name} filters by prefix. */
  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<Page<PolicyView>> list(@BeanParam ListParams paging, @QueryParam("name") String name) {
    return policies.page(name, paging.toRequest()).map(page -> page.map(PolicyView::of));
  }

  @GET
  @Path("{id}")
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<Response> get(@PathParam("id") UUID id) {
    return policies.get(id).map(p -> withTag(Response.ok(PolicyView.of(p)), p));
  }

  @POST
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> create(@Valid @NotNull PolicyInput body) {
    return policies
        .create(body)
        .map(p -> withTag(Response.status(201).entity(PolicyView.of(p)), p));
  }

  @PUT
  @Path("{id}")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> replace(
      @PathParam("id") UUID id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @Valid @NotNull PolicyInput body) {
    ETags.requirePresent(ifMatch);
    return policies.replace(id, ifMatch, body).map(p -> withTag(Response.ok(PolicyView.of(p)), p));
  }

  @DELETE
  @Path("{id}")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> delete(
      @PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    ETags.requirePresent(ifMatch);
    return policies.delete(id, ifMatch).map(ignored -> Response.noContent().build());
  }

  private static Response withTag(Response.ResponseBuilder response, Policy p) {
    return response.header(HttpHeaders.ETAG, ETags.of(p.version)).build();
  }
}
