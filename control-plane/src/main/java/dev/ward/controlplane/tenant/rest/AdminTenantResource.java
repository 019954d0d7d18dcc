package dev.ward.controlplane.tenant.rest;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.tenant.service.TenantService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Platform bootstrap: creates a tenant and returns its first admin API token. Only the platform
 * bootstrap token may call it; sign-up replaces it for self-service tenants.
 */
@Path("/api/v1/admin/tenants")
@RolesAllowed(Roles.PLATFORM_ADMIN)
public class AdminTenantResource {

  private final TenantService tenants;

  public AdminTenantResource(TenantService tenants) {
    this.tenants = tenants;
  }

  /** Body of a tenant creation. */
  public record CreateTenant(
      @NotBlank
          @Size(min = 3, max = 40)
          @Pattern(
              regexp = "[a-z][a-z0-9-]*[a-z0-9]",
              message = "use lower-case letters, digits and dashes, starting with a letter")
          String slug,
      @NotBlank @Size(max = 200) String name) {}

  /** The created tenant, with its admin API token (shown only here). */
  public record TenantCreated(UUID id, String slug, String name, String adminToken) {}

  @POST
  public Uni<Response> create(@Valid CreateTenant body) {
    return tenants
        .create(body.slug(), body.name())
        .map(
            created ->
                Response.status(201)
                    .entity(
                        new TenantCreated(
                            created.tenant().id,
                            created.tenant().slug,
                            created.tenant().name,
                            created.adminToken()))
                    .build());
  }
}
