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
                      Tenant tenant = new Tenant();
                      tenant.id = UUID.randomUUID();
                      tenant.slug = slug;
                      tenant.name = name;
                      tenant.configVersion = 1;
                      tenant.createdAt = OffsetDateTime.now();
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
