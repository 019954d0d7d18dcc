package dev.ward.controlplane.tenant.rest;

import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.rest.ListParams;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.tenant.service.ApiTokenService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's API tokens for automation (CI, scripts): issue one with the tenant roles it needs
 * (shown once), list them, revoke one. Admins only.
 */
@Path("/api/v1/api-tokens")
@RolesAllowed(Roles.ADMIN)
public class ApiTokenResource {

  private final ApiTokenService tokens;

  public ApiTokenResource(ApiTokenService tokens) {
    this.tokens = tokens;
  }

  /** Body of a token issue: a name and tenant roles only (never the platform role). */
  public record IssueToken(
      @NotBlank
          @Size(max = 63)
          @Pattern(
              regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?",
              message = "use lower-case letters, digits and dashes")
          String name,
      @NotEmpty(message = "give at least one role") @Size(max = 4)
          Set<
                  @NotNull
                  @Pattern(
                      regexp = "ward-admins|ward-approvers|ward-auditors|ward-members",
                      message =
                          "choose among ward-admins, ward-approvers, ward-auditors, ward-members")
                  String>
              roles) {}

  /** The issued token; {@code token} is its value, shown only in this response. */
  public record TokenIssued(ApiTokenView apiToken, String token) {}

  @GET
  @WithSession
  public Uni<Page<ApiTokenView>> list(@BeanParam ListParams paging) {
    return tokens.page(paging.toRequest()).map(page -> page.map(ApiTokenView::of));
  }

  @POST
  @WithTransaction
  public Uni<Response> issue(@Valid @NotNull IssueToken body) {
    return tokens
        .issue(body.name(), body.roles())
        .map(
            issued ->
                Response.status(201)
                    .entity(new TokenIssued(ApiTokenView.of(issued.token()), issued.secret()))
                    .build());
  }

  @POST
  @Path("{id}/revoke")
  @WithTransaction
  public Uni<ApiTokenView> revoke(@PathParam("id") UUID id) {
    return tokens.revoke(id).map(ApiTokenView::of);
  }
}
