package dev.ward.controlplane.tenant.service;

import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.security.OpaqueTokens;
import dev.ward.controlplane.tenant.ApiToken;
import dev.ward.controlplane.tenant.repository.ApiTokenRepository;
import dev.ward.controlplane.tenant.rest.ApiTokenView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Issues, lists and revokes a tenant's API tokens for automation. Only digests are stored. */
@ApplicationScoped
public class ApiTokenService {

  private static final Sorting SORTING =
      Sorting.by("name", Map.of("name", "name", "createdAt", "createdAt"));

  private final ApiTokenRepository tokens;
  private final AuditLog audit;

  public ApiTokenService(ApiTokenRepository tokens, AuditLog audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  /** A newly issued token and its secret value, shown once. */
  public record Issued(ApiToken token, String secret) {}

  public Uni<Page<ApiToken>> page(PageRequest request) {
    return tokens.page(Criteria.all(), request, SORTING);
  }

  public Uni<Issued> issue(String name, Set<String> roles) {
    String secret = OpaqueTokens.issue(OpaqueTokens.API_PREFIX);
    ApiToken token = new ApiToken();
    token.id = UUID.randomUUID();
    token.tenantId = tokens.tenantId();
    token.name = name;
    token.roles = String.join(",", roles.stream().sorted().toList());
    token.tokenHash = OpaqueTokens.digest(secret);
    token.createdAt = OffsetDateTime.now();
    return token
        .<ApiToken>persist()
        .call(Panache::flush)
        .call(t -> audit.record("api-token.create", "api-token", t.id, null, ApiTokenView.of(t)))
        .map(t -> new Issued(t, secret));
  }

  public Uni<ApiToken> revoke(UUID id) {
    return tokens
        .get(id)
        .call(
            t -> {
              if (t.revokedAt != null) {
                return Uni.createFrom().voidItem();
              }
              ApiTokenView before = ApiTokenView.of(t);
              t.revokedAt = OffsetDateTime.now();
              return Panache.flush()
                  .call(
                      () ->
                          audit.record(
                              "api-token.revoke", "api-token", t.id, before, ApiTokenView.of(t)));
            });
  }
}
