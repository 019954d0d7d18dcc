package dev.ward.controlplane.identity.grant;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.security.TenantScope;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.OffsetDateTime;
import java.util.List;

/** The tenant's grant-signing keys: the public halves agents trust, and rotation. */
@Path("/api/v1/grant-keys")
public class GrantKeyResource {

  private final GrantKeys keys;
  private final TenantScope scope;

  public GrantKeyResource(GrantKeys keys, TenantScope scope) {
    this.keys = keys;
    this.scope = scope;
  }

  /** A public grant-verification key, as agents receive it. */
  public record PublicKeyView(
      String keyId,
      String algorithm,
      String publicKey,
      OffsetDateTime createdAt,
      OffsetDateTime retireAt) {
    static PublicKeyView of(GrantKey k) {
      return new PublicKeyView(k.id, "Ed25519", k.publicKey, k.createdAt, k.retireAt);
    }
  }

  @GET
  @WithSession
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
  public Uni<List<PublicKeyView>> publishedKeys() {
    return keys.published(scope.tenantId())
        .map(list -> list.stream().map(PublicKeyView::of).toList());
  }

  @POST
  @Path("rotate")
  @WithTransaction
  @RolesAllowed(Roles.ADMIN)
  public Uni<PublicKeyView> rotate() {
    return keys.rotate(scope.tenantId()).map(PublicKeyView::of);
  }
}
