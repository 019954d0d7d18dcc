package dev.ward.controlplane.agent.rest;

import dev.ward.controlplane.agent.repository.AgentRepository;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.tenant.Tenant;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.UUID;

/**
 * Which config version the tenant is at and which version each of its agents runs, so an admin can
 * see that a change has reached every agent.
 */
@Path("/api/v1/config")
public class ConfigStatusResource {

  private final AgentRepository agents;

  public ConfigStatusResource(AgentRepository agents) {
    this.agents = agents;
  }

  /** The tenant's config version and, per agent that is not revoked, the version it runs. */
  public record ConfigStatus(long version, List<AgentConfig> agents) {}

  /** One agent: the version it acknowledged and whether that is the current one. */
  public record AgentConfig(
      UUID id, String name, String status, long configVersionAcked, boolean current) {}

  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
  public Uni<ConfigStatus> status() {
    return Tenant.<Tenant>findById(agents.tenantId())
        .chain(
            tenant ->
                agents
                    .listAll("e.name")
                    .map(
                        list ->
                            new ConfigStatus(
                                tenant.configVersion,
                                list.stream()
                                    .filter(a -> a.revokedAt == null)
                                    .map(AgentView::of)
                                    .map(
                                        a ->
                                            new AgentConfig(
                                                a.id(),
                                                a.name(),
                                                a.status(),
                                                a.configVersionAcked(),
                                                a.configVersionAcked() == tenant.configVersion))
                                    .toList())));
  }
}
