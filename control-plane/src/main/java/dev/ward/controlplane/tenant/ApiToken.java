package dev.ward.controlplane.tenant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's API token for automation; only its SHA-256 digest is stored. */
@Entity
@Table(name = "api_tokens")
public class ApiToken extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;

  @Column(name = "token_hash")
  public byte[] tokenHash;

  /** Comma-separated role names. */
  public String roles;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;
}
