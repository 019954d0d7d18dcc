package dev.ward.controlplane.identity.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.identity.IdentityProvider;
import dev.ward.controlplane.identity.realm.TenantRealms;
import dev.ward.controlplane.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;

/**
 * Brokers a tenant's identity providers in the tenant realm: an OIDC provider from its issuer's
 * discovery document plus client id and secret, a SAML provider from its metadata URL or its
 * metadata document (see {@link SamlMetadata}), each with one group mapper per mapping (the IdP's
 * {@code groups} claim or attribute value to a realm group, created when missing). Tenants without
 * a realm (made by the platform bootstrap) only keep the record in Ward's database.
 */
@ApplicationScoped
public class KeycloakIdentityBroker implements IdentityBroker {

  /** Claim (OIDC) or attribute (SAML) of the external IdP whose values are mapped to groups. */
  public static final String GROUPS_CLAIM = "groups";

  private static final String MAPPER_PREFIX = "ward-group-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TenantRealms realms;

  public KeycloakIdentityBroker(TenantRealms realms) {
    this.realms = realms;
  }

  @Override
  public Uni<Void> upsert(IdentityProvider provider, String clientSecret) {
    return realmOf(provider)
        .chain(
            realm ->
                realm == null
                    ? Uni.createFrom().voidItem()
                    : realms.run(() -> apply(realms.realm(realm), provider, clientSecret)));
  }

  @Override
  public Uni<Void> remove(IdentityProvider provider) {
    return realmOf(provider)
        .chain(
            realm ->
                realm == null
                    ? Uni.createFrom().voidItem()
                    : realms.run(
                        () -> {
                          try {
                            realms.realm(realm).identityProviders().get(provider.alias).remove();
                          } catch (WebApplicationException e) {
                            if (!notFound(e)) {
                              throw e;
                            }
                          }
                        }));
  }

  private Uni<String> realmOf(IdentityProvider provider) {
    if (!realms.configured()) {
      return Uni.createFrom().nullItem();
    }
    return Tenant.<Tenant>findById(provider.tenantId)
        .map(t -> t == null || !"ready".equals(t.signupState) ? null : t.realm);
  }

  private static void apply(RealmResource realm, IdentityProvider p, String clientSecret) {
    var providers = realm.identityProviders();
    IdentityProviderRepresentation existing = null;
    try {
      existing = providers.get(p.alias).toRepresentation();
    } catch (WebApplicationException e) {
      if (!notFound(e)) {
        throw e;
      }
    }
    Map<String, String> config = new HashMap<>();
    if ("oidc".equals(p.kind)) {
      config.putAll(
          providers.importFrom(
              Map.of(
                  "providerId",
                  "oidc",
                  "fromUrl",
                  p.issuerUrl.replaceAll("/+$", "") + "/.well-known/openid-configuration")));
      config.put("clientId", p.clientId);
      config.put("clientAuthMethod", "client_secret_post");
      config.put("defaultScope", "openid email profile");
      config.put("validateSignature", "true");
      config.put("useJwksUrl", "true");
      config.put("pkceEnabled", "true");
      config.put("pkceMethod", "S256");
      if (clientSecret != null) {
        config.put("clientSecret", clientSecret);
      } else if (existing != null && existing.getConfig().get("clientSecret") != null) {
        config.put("clientSecret", existing.getConfig().get("clientSecret"));
      }
    } else if (p.metadataXml != null) {
      config.putAll(samlConfig(IdentityProviderService.samlMetadata(p.metadataXml)));
    } else {
      config.putAll(providers.importFrom(Map.of("providerId", "saml", "fromUrl", p.metadataUrl)));
    }
    config.put("syncMode", "FORCE");
    IdentityProviderRepresentation rep =
        existing != null ? existing : new IdentityProviderRepresentation();
    rep.setAlias(p.alias);
    rep.setDisplayName(p.displayName);
    rep.setProviderId(p.kind);
    rep.setEnabled(p.enabled);
    rep.setTrustEmail(true);
    rep.setConfig(config);
    if (existing == null) {
      try (var response = providers.create(rep)) {
        if (response.getStatus() >= 300) {
          throw new WebApplicationException(response);
        }
      }
    } else {
      providers.get(p.alias).update(rep);
    }
    syncGroupMappers(realm, p);
  }

  /**
   * The SAML broker settings for an IdP described by its metadata: responses must be signed with
   * one of its certificates; the subject's NameID identifies the person.
   */
  static Map<String, String> samlConfig(SamlMetadata m) {
    Map<String, String> config = new HashMap<>();
    config.put("idpEntityId", m.entityId());
    config.put("singleSignOnServiceUrl", m.singleSignOnUrl());
    if (m.singleLogoutUrl() != null) {
      config.put("singleLogoutServiceUrl", m.singleLogoutUrl());
    }
    config.put("signingCertificate", String.join(",", m.signingCertificates()));
    config.put("validateSignature", "true");
    config.put("postBindingResponse", "true");
    config.put("postBindingAuthnRequest", String.valueOf(m.postBinding()));
    config.put("postBindingLogout", String.valueOf(m.postBinding()));
    config.put(
        "nameIDPolicyFormat",
        m.nameIdFormat() != null
            ? m.nameIdFormat()
            : "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
    config.put("principalType", "SUBJECT");
    // Keycloak signs its requests with the realm key when the IdP asks for signed requests
    config.put("wantAuthnRequestsSigned", String.valueOf(m.wantAuthnRequestsSigned()));
    return config;
  }

  /** A 404 of the admin API (the REST client may not use the NotFoundException subclass). */
  private static boolean notFound(WebApplicationException e) {
    return e instanceof NotFoundException
        || (e.getResponse() != null && e.getResponse().getStatus() == 404);
  }

  /** Replaces Ward's group mappers of the provider with one per entry of its group mapping. */
  private static void syncGroupMappers(RealmResource realm, IdentityProvider p) {
    var provider = realm.identityProviders().get(p.alias);
    for (IdentityProviderMapperRepresentation m : provider.getMappers()) {
      if (m.getName() != null && m.getName().startsWith(MAPPER_PREFIX)) {
        provider.delete(m.getId());
      }
    }
    if (p.groupMapping == null) {
      return;
    }
    int n = 0;
    for (Map.Entry<String, Object> e : p.groupMapping.entrySet()) {
      String wardGroup = String.valueOf(e.getValue());
      ensureGroup(realm, wardGroup);
      String match;
      try {
        match = JSON.writeValueAsString(List.of(Map.of("key", GROUPS_CLAIM, "value", e.getKey())));
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
      IdentityProviderMapperRepresentation m = new IdentityProviderMapperRepresentation();
      m.setName(MAPPER_PREFIX + (++n));
      m.setIdentityProviderAlias(p.alias);
      Map<String, String> config = new HashMap<>();
      config.put("syncMode", "FORCE");
      config.put("group", "/" + wardGroup);
      if ("oidc".equals(p.kind)) {
        m.setIdentityProviderMapper("oidc-advanced-group-idp-mapper");
        config.put("claims", match);
        config.put("are.claim.values.regex", "false");
      } else {
        m.setIdentityProviderMapper("saml-advanced-group-idp-mapper");
        config.put("attributes", match);
        config.put("are.attribute.values.regex", "false");
      }
      m.setConfig(config);
      try (var response = provider.addMapper(m)) {
        if (response.getStatus() >= 300) {
          throw new WebApplicationException(response);
        }
      }
    }
  }

  private static void ensureGroup(RealmResource realm, String name) {
    boolean exists =
        realm.groups().groups(name, true, 0, 10, true).stream()
            .map(GroupRepresentation::getName)
            .anyMatch(name::equals);
    if (!exists) {
      GroupRepresentation g = new GroupRepresentation();
      g.setName(name);
      try (var response = realm.groups().add(g)) {
        if (response.getStatus() >= 300 && response.getStatus() != 409) {
          throw new WebApplicationException(response);
        }
      }
    }
  }
}
