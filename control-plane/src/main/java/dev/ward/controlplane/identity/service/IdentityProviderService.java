package dev.ward.controlplane.identity.service;

import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.ProblemBody.FieldError;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.common.rest.ETags;
import dev.ward.controlplane.identity.IdentityProvider;
import dev.ward.controlplane.identity.repository.IdentityProviderRepository;
import dev.ward.controlplane.identity.rest.IdentityProviderInput;
import dev.ward.controlplane.identity.rest.IdentityProviderView;
import dev.ward.controlplane.secrets.TenantKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates, replaces and deletes a tenant's identity providers: the client secret is sealed with the
 * tenant's data key before it is stored, the {@link IdentityBroker} applies the change to the
 * tenant's realm, and every change is audited without the secret.
 */
@ApplicationScoped
public class IdentityProviderService {

  private static final Sorting SORTING =
      Sorting.by("alias", Map.of("alias", "alias", "kind", "kind", "createdAt", "createdAt"));

  private final IdentityProviderRepository providers;
  private final TenantKeys keys;
  private final IdentityBroker broker;
  private final AuditLog audit;

  public IdentityProviderService(
      IdentityProviderRepository providers,
      TenantKeys keys,
      IdentityBroker broker,
      AuditLog audit) {
    this.providers = providers;
    this.keys = keys;
    this.broker = broker;
    this.audit = audit;
  }

  public Uni<Page<IdentityProvider>> page(String kind, PageRequest request) {
    return providers.page(Criteria.all().equal("kind", kind), request, SORTING);
  }

  public Uni<IdentityProvider> get(UUID id) {
    return providers.get(id);
  }

  public Uni<IdentityProvider> create(IdentityProviderInput input) {
    rejectIncomplete(input);
    return providers
        .findByAlias(input.alias())
        .chain(
            existing -> {
              if (existing.isPresent()) {
                throw aliasTaken(input.alias());
              }
              IdentityProvider p = new IdentityProvider();
              p.id = UUID.randomUUID();
              p.tenantId = providers.tenantId();
              p.createdAt = OffsetDateTime.now();
              apply(p, input);
              return sealSecret(p, input.clientSecret()).chain(() -> p.<IdentityProvider>persist());
            })
        .call(p -> broker.upsert(p, blankToNull(input.clientSecret())))
        .call(Panache::flush)
        .call(
            p ->
                audit.record(
                    "identity-provider.create",
                    "identity-provider",
                    p.id,
                    null,
                    IdentityProviderView.of(p)));
  }

  public Uni<IdentityProvider> replace(UUID id, String ifMatch, IdentityProviderInput given) {
    rejectIncomplete(given, true);
    return providers
        .get(id)
        .chain(
            p -> {
              ETags.requireMatch(ifMatch, p.version, "Identity provider " + id);
              IdentityProviderInput input = keepingStoredMetadata(p, given);
              rejectIncomplete(input);
              IdentityProviderView before = IdentityProviderView.of(p);
              Uni<Void> aliasFree =
                  p.alias.equals(input.alias())
                      ? Uni.createFrom().voidItem()
                      : providers
                          .findByAlias(input.alias())
                          .invoke(
                              other -> {
                                if (other.isPresent()) {
                                  throw aliasTaken(input.alias());
                                }
                              })
                          .replaceWithVoid();
              return aliasFree
                  .invoke(() -> apply(p, input))
                  .chain(() -> sealSecret(p, input.clientSecret()))
                  .chain(() -> broker.upsert(p, blankToNull(input.clientSecret())))
                  .call(Panache::flush)
                  .call(
                      () ->
                          audit.record(
                              "identity-provider.update",
                              "identity-provider",
                              p.id,
                              before,
                              IdentityProviderView.of(p)))
                  .replaceWith(p);
            });
  }

  public Uni<Void> delete(UUID id, String ifMatch) {
    return providers
        .get(id)
        .chain(
            p -> {
              ETags.requireMatch(ifMatch, p.version, "Identity provider " + id);
              IdentityProviderView before = IdentityProviderView.of(p);
              return broker
                  .remove(p)
                  .chain(p::delete)
                  .call(Panache::flush)
                  .call(
                      () ->
                          audit.record(
                              "identity-provider.delete", "identity-provider", p.id, before, null));
            });
  }

  /** Null keeps the stored secret, empty removes it, anything else is sealed and stored. */
  private Uni<Void> sealSecret(IdentityProvider p, String secret) {
    if (secret == null) {
      return Uni.createFrom().voidItem();
    }
    if (secret.isEmpty()) {
      p.clientSecretSealed = null;
      return Uni.createFrom().voidItem();
    }
    return keys.seal(p.tenantId, p.secretPurpose(), secret)
        .invoke(box -> p.clientSecretSealed = box)
        .replaceWithVoid();
  }

  /**
   * The input with the stored SAML metadata document when it names neither a URL nor a new
   * document: like the client secret, the XML is not shown again, so an edit need not resend it.
   */
  private static IdentityProviderInput keepingStoredMetadata(
      IdentityProvider p, IdentityProviderInput in) {
    boolean noMetadata =
        in.metadataUrl() == null && (in.metadataXml() == null || in.metadataXml().isBlank());
    if (!"saml".equals(in.kind()) || !noMetadata || p.metadataXml == null) {
      return in;
    }
    return new IdentityProviderInput(
        in.alias(),
        in.kind(),
        in.displayName(),
        in.issuerUrl(),
        null,
        p.metadataXml,
        in.clientId(),
        in.clientSecret(),
        in.groupMapping(),
        in.enabled());
  }

  private static void rejectIncomplete(IdentityProviderInput in) {
    rejectIncomplete(in, false);
  }

  /**
   * @param storedMetadataMayDo on replace, before the stored provider is read: a SAML input without
   *     metadata may still be complete with the stored document
   */
  private static void rejectIncomplete(IdentityProviderInput in, boolean storedMetadataMayDo) {
    List<FieldError> errors = new ArrayList<>();
    if ("oidc".equals(in.kind())) {
      if (in.issuerUrl() == null) {
        errors.add(new FieldError("issuerUrl", "an OIDC provider needs its issuer URL"));
      }
      if (in.clientId() == null || in.clientId().isBlank()) {
        errors.add(new FieldError("clientId", "an OIDC provider needs the client id Ward uses"));
      }
    }
    if ("saml".equals(in.kind())) {
      boolean xml = in.metadataXml() != null && !in.metadataXml().isBlank();
      if (in.metadataUrl() == null && !xml) {
        if (!storedMetadataMayDo) {
          errors.add(
              new FieldError(
                  "metadataUrl", "a SAML provider needs its metadata URL or its metadata XML"));
        }
      } else if (in.metadataUrl() != null && xml) {
        errors.add(new FieldError("metadataXml", "give the metadata URL or the XML, not both"));
      } else if (xml) {
        try {
          SamlMetadata.parse(in.metadataXml());
        } catch (SamlMetadata.InvalidMetadataException e) {
          errors.add(new FieldError("metadataXml", e.getMessage()));
        }
      }
    }
    if (in.groupMapping() != null) {
      in.groupMapping()
          .forEach(
              (from, to) -> {
                if (from == null || from.isBlank() || from.length() > 255) {
                  errors.add(
                      new FieldError("groupMapping", "group names have 1 to 255 characters"));
                } else if (to == null || to.isBlank() || to.length() > 255) {
                  errors.add(
                      new FieldError(
                          "groupMapping." + from, "the Ward group, 1 to 255 characters"));
                }
              });
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }

  private static void apply(IdentityProvider p, IdentityProviderInput in) {
    p.alias = in.alias();
    p.kind = in.kind();
    p.displayName = in.displayName();
    p.issuerUrl = in.issuerUrl();
    p.metadataUrl = in.metadataUrl();
    p.metadataXml = null;
    p.samlEntityId = null;
    p.samlSsoUrl = null;
    if ("saml".equals(in.kind()) && in.metadataXml() != null && !in.metadataXml().isBlank()) {
      SamlMetadata m = samlMetadata(in.metadataXml());
      p.metadataXml = in.metadataXml();
      p.samlEntityId = m.entityId();
      p.samlSsoUrl = m.singleSignOnUrl();
    }
    p.clientId = in.clientId();
    p.groupMapping =
        in.groupMapping() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(in.groupMapping());
    p.enabled = in.enabled() == null || in.enabled();
    p.updatedAt = OffsetDateTime.now();
  }

  /** Metadata that {@link #rejectIncomplete} has already accepted. */
  static SamlMetadata samlMetadata(String xml) {
    try {
      return SamlMetadata.parse(xml);
    } catch (SamlMetadata.InvalidMetadataException e) {
      throw Problem.invalid(List.of(new FieldError("metadataXml", e.getMessage())));
    }
  }

  private static String blankToNull(String secret) {
    return secret == null || secret.isEmpty() ? null : secret;
  }

  private static Problem aliasTaken(String alias) {
    return Problem.conflict(
        "An identity provider with alias '" + alias + "' exists already; choose another alias.");
  }
}
