package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.identity.service.ServiceAccountService;
import dev.ward.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Service accounts of unattended agents, administered by the tenant's admins. Each has a human
 * owner; its client secret is shown once, at creation.
 */
@Path("/api/v1/service-accounts")
@RolesAllowed(Roles.ADMIN)
public class ServiceAccountResource {

  private final ServiceAccountService accounts;

  public ServiceAccountResource(ServiceAccountService accounts) {
    this.accounts = accounts;
  }

  /** Body of a service account creation. */
  public record CreateServiceAccount(
      @NotBlank
          @Size(min = 3, max = 40)
          @Pattern(
              regexp = "[a-z][a-z0-9-]*[a-z0-9]",
              message = "use lower-case letters, digits and dashes, starting with a letter")
          String name,
      @NotBlank @Email @Size(max = 254) String owner) {}

  @POST
  @WithTransaction
  public Uni<Response> create(@Valid @NotNull CreateServiceAccount body) {
    return accounts
        .create(body.name(), body.owner())
        .map(c -> Response.status(201).entity(c).header("Cache-Control", "no-store").build());
  }

  @GET
  @WithSession
  public Uni<List<ServiceAccountService.View>> list() {
    return accounts.list();
  }

  @DELETE
  @Path("{id}")
  @WithTransaction
  public Uni<Response> delete(@PathParam("id") UUID id) {
    return accounts.delete(id).map(ignored -> Response.noContent().build());
  }
}
