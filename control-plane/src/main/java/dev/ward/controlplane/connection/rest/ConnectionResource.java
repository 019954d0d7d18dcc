package dev.ward.controlplane.connection.rest;

import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.common.rest.QueryValues;
import dev.ward.controlplane.connection.Connection;
import dev.ward.controlplane.connection.service.ConnectionService;
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
 * A tenant's connections: what its agents listen for and proxy to. Admins write them; members read
 * them to know what they can connect to. Updates and deletes need the ETag in If-Match.
 */
@Path("/api/v1/connections")
public class ConnectionResource {

  private final ConnectionService connections;

  public ConnectionResource(ConnectionService connections) {
    this.connections = connections;
  }

  /**
   * Connections, by name unless {@code sort} says otherwise.
   *
   * @param name filters by name prefix
   * @param kind filters by kind (postgres, http, git, mcp, llm)
   * @param policyId filters by the policy they enforce
   */
  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<Page<ConnectionView>> list(
      @BeanParam ListParams paging,
      @QueryParam("name") String name,
      @QueryParam("kind") String kind,
      @QueryParam("policyId") String policyId) {
    return connections
        .page(
            new ConnectionService.Filter(name, kind, QueryValues.uuid("policyId", policyId)),
            paging.toRequest())
        .map(page -> page.map(ConnectionView::of));
  }

  @GET
  @Path("{id}")
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<Response> get(@PathParam("id") UUID id) {
    return connections.get(id).map(c -> withTag(Response.ok(ConnectionView.of(c)), c));
  }

  @POST
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> create(@Valid @NotNull ConnectionInput body) {
    return connections
        .create(body)
        .map(c -> withTag(Response.status(201).entity(ConnectionView.of(c)), c));
  }

  @PUT
  @Path("{id}")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> replace(
      @PathParam("id") UUID id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @Valid @NotNull ConnectionInput body) {
    ETags.requirePresent(ifMatch);
    return connections
        .replace(id, ifMatch, body)
        .map(c -> withTag(Response.ok(ConnectionView.of(c)), c));
  }

  @DELETE
  @Path("{id}")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> delete(
      @PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    ETags.requirePresent(ifMatch);
    return connections.delete(id, ifMatch).map(ignored -> Response.noContent().build());
  }

  private static Response withTag(Response.ResponseBuilder response, Connection c) {
    return response.header(HttpHeaders.ETAG, ETags.of(c.version)).build();
  }
}
