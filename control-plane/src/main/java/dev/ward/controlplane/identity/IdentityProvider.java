package dev.ward.controlplane.identity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A tenant's own identity provider (Okta, Entra ID, Google; OIDC or SAML), brokered by the tenant's
 * identity realm. Its client secret is kept sealed with the tenant's data key.
 */
@Entity
@Table(name = "identity_providers")
public class IdentityProvider extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  /** Short name, also the alias of the identity provider in the tenant's realm. */
  public String alias;

  /** oidc | saml */
  public String kind;

  @Column(name = "display_name")
  public String displayName;

  @Column(name = "issuer_url")
  public String issuerUrl;

  @Column(name = "metadata_url")
  public String metadataUrl;

  /** The SAML metadata document an admin pasted (instead of a metadata URL). */
  @Column(name = "metadata_xml")
  public String metadataXml;

  /** Entity id of the SAML IdP, from its metadata document. */
  @Column(name = "saml_entity_id")
  public String samlEntityId;

  /** Where the SAML IdP takes authentication requests, from its metadata document. */
  @Column(name = "saml_sso_url")
  public String samlSsoUrl;

  @Column(name = "client_id")
  public String clientId;

  /** The client secret sealed by {@code TenantKeys}; never returned by the API. */
  @Column(name = "client_secret_sealed")
  public byte[] clientSecretSealed;

  /** IdP group name to Ward group name. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "group_mapping")
  public Map<String, Object> groupMapping;

  public boolean enabled;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Version
  @Column(name = "row_version")
  public long version;

  /** What its client secret is sealed for: binds the sealed value to this provider. */
  public String secretPurpose() {
    return "identity-provider/" + id + "/client-secret";
  }
}
