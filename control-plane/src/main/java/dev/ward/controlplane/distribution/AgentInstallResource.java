package dev.ward.controlplane.distribution;

import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /api/v1/agents/{id}/install}: a fresh token for the agent and ready snippets that
 * install it (Terraform for a Linux VM or Kubernetes, or one shell line). The token is shown in
 * this response only; calling again rotates it again.
 */
@Path("/api/v1/agents/{id}/install")
public class AgentInstallResource {

  private final AgentInstallService installs;
  private final PublicUrl publicUrl;

  public AgentInstallResource(AgentInstallService installs, PublicUrl publicUrl) {
    this.installs = installs;
    this.publicUrl = publicUrl;
  }

  @POST
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  @Produces("application/json")
  public Uni<AgentInstallService.AgentInstall> install(
      @PathParam("id") UUID id, @QueryParam("version") String version, @Context UriInfo uri) {
    Optional<AgentVersion> wanted =
        version == null || version.isBlank()
            ? Optional.empty()
            : Optional.of(new AgentVersion(version));
    return installs.prepare(id, wanted, publicUrl.of(uri));
  }
}
