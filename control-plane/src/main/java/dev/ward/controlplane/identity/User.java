package dev.ward.controlplane.identity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A person of a tenant, mirrored from the identity provider's subject on first sign-in. */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  /** The {@code sub} the identity provider gives this person. */
  public String subject;

  public String email;

  @Column(name = "display_name")
  public String displayName;

  @Column(name = "idp_alias")
  public String idpAlias;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "last_seen_at")
  public OffsetDateTime lastSeenAt;

  @Version
  @Column(name = "row_version")
  public long version;
}
