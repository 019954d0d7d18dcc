package dev.ward.controlplane.policy;

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
 * A tenant's policy: access rules, masking rules, guardrails, approval rules and recording mode, as
 * one JSON document that the policy engine in the agent enforces. Connections refer to it.
 */
@Entity
@Table(name = "policies")
public class Policy extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  public String name;
  public String description;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> document;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** Optimistic lock; also the ETag and the policy version agents see. */
  @Version
  @Column(name = "row_version")
  public long version;
}
