package dev.ward.controlplane.identity.grant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's grant-signing key; the private half is sealed with the tenant's data key. */
@Entity
@Table(name = "grant_keys")
public class GrantKey extends PanacheEntityBase {

  /** The key id ({@code kid}) grants name. */
  @Id public String id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  /** Base64 X.509 SubjectPublicKeyInfo, as agents receive it. */
  @Column(name = "public_key")
  public String publicKey;

  @Column(name = "private_key_sealed")
  public byte[] privateKeySealed;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "superseded_at")
  public OffsetDateTime supersededAt;

  @Column(name = "retire_at")
  public OffsetDateTime retireAt;
}
