package dev.ward.controlplane.tenant.service;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.identity.grant.GrantKeys;
import dev.ward.controlplane.security.OpaqueTokens;
import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.tenant.ApiToken;
import dev.ward.controlplane.tenant.Tenant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Creates tenants with their first admin API token and grant-signing key. */
@ApplicationScoped
public class TenantService {

  private final GrantKeys grantKeys;

  public TenantService(GrantKeys grantKeys) {
    this.grantKeys = grantKeys;
  }

  /** A new tenant and the API token (shown once) that administers it. */
  public record CreatedTenant(Tenant tenant, String adminToken) {}

  /**
   * A tenant being signed up: its row in state {@code provisioning} and its grant-signing key, but
   * no API token (its admins sign in through the tenant realm). Committed before the realm is made.
   */
  public Uni<Tenant> createForSignup(String slug, String name, String realm, String adminEmail) {
    return Panache.withTransaction(
        () -> {
          Tenant tenant = newTenant(slug, name);
          tenant.realm = realm;
          tenant.signupState = "provisioning";
          tenant.signupEmail = adminEmail;
          return tenant
              .persist()
              .chain(() -> Panache.getSession().chain(session -> session.flush()))
              .chain(() -> grantKeys.current(tenant.id))
              .replaceWith(tenant);
        });
  }

  /** Marks a signed-up tenant's realm as complete. */
  public Uni<Void> markReady(UUID tenantId) {
    return Panache.withTransaction(
            () -> Tenant.update("signupState = 'ready' WHERE id = ?1", tenantId))
        .replaceWithVoid();
  }

  /** Removes a tenant and everything it owns (a sign-up that could not finish). */
  public Uni<Void> remove(UUID tenantId) {
    return Panache.withTransaction(() -> Tenant.delete("id", tenantId)).replaceWithVoid();
  }

  public Uni<Tenant> findBySlug(String slug) {
    return Panache.withSession(() -> Tenant.<Tenant>find("slug", slug).firstResult());
  }

  private static Tenant newTenant(String slug, String name) {
    Tenant tenant = new Tenant();
    tenant.id = UUID.randomUUID();
    tenant.slug = slug;
    tenant.name = name;
    tenant.configVersion = 1;
    tenant.createdAt = OffsetDateTime.now();
    return tenant;
  }

  public Uni<CreatedTenant> create(String slug, String name) {
    return Panache.withTransaction(
        () ->
            Tenant.count("slug", slug)
                .flatMap(
                    existing -> {
                      if (existing > 0) {
                        throw Problem.conflict(
                            "A tenant named '" + slug + "' exists already; choose another slug.");
                      }
                      Tenant tenant = newTenant(slug, name);
                      String token = OpaqueTokens.issue(OpaqueTokens.API_PREFIX);
                      ApiToken apiToken = new ApiToken();
                      apiToken.id = UUID.randomUUID();
                      apiToken.tenantId = tenant.id;
                      apiToken.name = "initial-admin";
                      apiToken.tokenHash = OpaqueTokens.digest(token);
                      apiToken.createdAt = tenant.createdAt;
                      apiToken.roles =
                          String.join(
                              ",", Roles.ADMIN, Roles.APPROVER, Roles.AUDITOR, Roles.MEMBER);
                      return tenant
                          .persist()
                          .chain(() -> apiToken.persist())
                          // The tenant row must exist before its keys reference it.
                          .chain(() -> Panache.getSession().chain(session -> session.flush()))
                          // The signing key exists before the first grant is asked for, so
                          // agents already trust it when that grant is presented.
                          .chain(() -> grantKeys.current(tenant.id))
                          .map(ignored -> new CreatedTenant(tenant, token));
                    }));
  }
}
