package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.identity.realm.RealmTemplate;
import dev.ward.controlplane.identity.realm.TenantRealms;
import dev.ward.controlplane.tenant.Tenant;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * Where the console and the CLI send a person to sign in to a tenant: its realm's issuer and the
 * client ids to use. Public: it names nothing that the realm's own discovery document does not.
 */
@Path("/api/v1/auth/discovery")
@PermitAll
public class DiscoveryResource {

  private final TenantRealms realms;

  public DiscoveryResource(TenantRealms realms) {
    this.realms = realms;
  }

  /** The sign-in settings of one tenant. */
  public record Discovery(
      String tenant, String issuer, String consoleClientId, String cliClientId) {}

  /** {@code tenant} is the tenant's slug or its organisation name. */
  @GET
  @WithSession
  public Uni<Discovery> discover(@QueryParam("tenant") String tenant) {
    if (tenant == null || tenant.isBlank() || tenant.length() > 200) {
      throw Problem.invalidField("tenant", "the tenant's short name or organisation name");
    }
    String wanted = tenant.strip();
    return Tenant.<Tenant>find(
            "realm IS NOT NULL AND signupState = 'ready' AND (slug = ?1 OR lower(name) = lower(?1))"
                + " ORDER BY createdAt",
            wanted)
        .firstResult()
        .map(
            t -> {
              if (t == null || !realms.configured()) {
                throw Problem.notFound("A tenant named '" + wanted + "' that people sign in to");
              }
              return new Discovery(
                  t.slug,
                  realms.issuer(t.realm),
                  RealmTemplate.CONSOLE_CLIENT,
                  RealmTemplate.CLI_CLIENT);
            });
  }
}
