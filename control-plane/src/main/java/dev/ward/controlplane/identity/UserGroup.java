package dev.ward.controlplane.identity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A group of a tenant's users, mirrored from the token's groups or one of Ward's role groups. */
@Entity
@Table(name = "groups")
public class UserGroup extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  public String name;

  /** idp | ward */
  public String source;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Version
  @Column(name = "row_version")
  public long version;
}
