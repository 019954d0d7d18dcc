package dev.ward.controlplane.identity.rest;

import dev.ward.controlplane.identity.IdentityProvider;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * An identity provider as the API shows it: the client secret only as whether one is set, never its
 * value. {@code version} is also the ETag.
 */
public record IdentityProviderView(
    UUID id,
    String alias,
    String kind,
    String displayName,
    String issuerUrl,
    String metadataUrl,
    String samlEntityId,
    String samlSsoUrl,
    String clientId,
    boolean clientSecretSet,
    Map<String, Object> groupMapping,
    boolean enabled,
    long version,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public static IdentityProviderView of(IdentityProvider p) {
    return new IdentityProviderView(
        p.id,
        p.alias,
        p.kind,
        p.displayName,
        p.issuerUrl,
        p.metadataUrl,
        p.samlEntityId,
        p.samlSsoUrl,
        p.clientId,
        p.clientSecretSealed != null,
        p.groupMapping == null ? Map.of() : p.groupMapping,
        p.enabled,
        p.version,
        p.createdAt,
        p.updatedAt);
  }
}
