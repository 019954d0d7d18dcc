package dev.ward.controlplane.agent.rest;

import dev.ward.controlplane.agent.service.AgentService;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** A tenant's agents: register one (its token is shown once), list them, revoke one. */
@Path("/api/v1/agents")
public class AgentResource {

  private final AgentService agents;

  public AgentResource(AgentService agents) {
    this.agents = agents;
  }

  /** Body of an agent registration. */
  public record RegisterAgent(
      @NotBlank
          @Size(max = 63)
          @Pattern(
              regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?",
              message = "use lower-case letters, digits and dashes")
          String name) {}

  /** A registered agent with its token; the token is shown only in this response. */
  public record AgentRegistered(AgentView agent, String token) {}

  /**
   * Agents, by name unless {@code sort} says otherwise.
   *
   * @param name filters by name prefix
   * @param status filters by online, offline or revoked
   */
  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<Page<AgentView>> list(
      @BeanParam ListParams paging,
      @QueryParam("name") String name,
      @QueryParam("status") String status) {
    return agents
        .page(new AgentService.Filter(name, status), paging.toRequest())
        .map(page -> page.map(AgentView::of));
  }

  @GET
  @Path("{id}")
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.APPROVER, Roles.MEMBER})
  public Uni<AgentView> get(@PathParam("id") UUID id) {
    return agents.get(id).map(AgentView::of);
  }

  @POST
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<Response> register(@Valid RegisterAgent body) {
    return agents
        .register(body.name())
        .map(
            r ->
                Response.status(201)
                    .entity(new AgentRegistered(AgentView.of(r.agent()), r.token()))
                    .build());
  }

  @POST
  @Path("{id}/revoke")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<AgentView> revoke(@PathParam("id") UUID id) {
    return agents.revoke(id).map(AgentView::of);
  }
}
