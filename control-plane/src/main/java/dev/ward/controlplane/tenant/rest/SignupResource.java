package dev.ward.controlplane.tenant.rest;

import dev.ward.controlplane.security.RateLimiter;
import dev.ward.controlplane.tenant.service.SignupService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Self-service sign-up: creates a tenant, its identity realm and its first admin. Public, so it is
 * rate-limited per client address and every field is bounded.
 */
@Path("/api/v1/signup")
@PermitAll
public class SignupResource {

  private final SignupService signups;
  private final RateLimiter limiter;

  public SignupResource(
      SignupService signups,
      @ConfigProperty(name = "ward.signup.per-address-per-minute", defaultValue = "10")
          int perAddress) {
    this.signups = signups;
    this.limiter = new RateLimiter(perAddress, perAddress * 20, 60_000, 10_000, Clock.systemUTC());
  }

  /** Body of a sign-up; {@code slug} is optional and derived from the organisation otherwise. */
  public record Signup(
      @NotBlank @Size(min = 2, max = 100) String organisation,
      @Size(min = 3, max = 40)
          @Pattern(
              regexp = "[a-z][a-z0-9-]*[a-z0-9]",
              message = "use lower-case letters, digits and dashes, starting with a letter")
          String slug,
      @NotBlank @Email @Size(max = 254) String email,
      @NotBlank @Size(min = 10, max = 128, message = "use 10 to 128 characters") String password) {}

  /** The signed-up tenant and where its people sign in. */
  public record SignedUp(
      UUID tenantId, String slug, String realm, String issuer, String consoleUrl) {}

  @POST
  public Uni<Response> signUp(@Valid @NotNull Signup body, @Context HttpServerRequest request) {
    limiter.acquire(
        request.remoteAddress() == null ? "?" : request.remoteAddress().host(), "sign-ups");
    return signups
        .signUp(
            new SignupService.Request(
                body.organisation(), body.slug(), body.email(), body.password()))
        .map(
            s ->
                Response.status(s.created() ? 201 : 200)
                    .entity(
                        new SignedUp(s.tenantId(), s.slug(), s.realm(), s.issuer(), s.consoleUrl()))
                    .header("Cache-Control", "no-store")
                    .build());
  }
}
