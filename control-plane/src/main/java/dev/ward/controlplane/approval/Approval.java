package dev.ward.controlplane.approval;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An operation an agent holds until approvers decide: what, for whom, and the outcome. */
@Entity
@Table(name = "approvals")
public class Approval extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  /** The agent's id for the request; unique per tenant. */
  @Column(name = "request_id")
  public String requestId;

  @Column(name = "session_id")
  public UUID sessionId;

  @Column(name = "connection_id")
  public UUID connectionId;

  public String subject;
  public String email;
  public String actor;
  public String kind;

  /** What is held, as approvers see it (masked). */
  public String operation;

  @Column(name = "operation_hash")
  public String operationHash;

  public String rule;

  @Column(name = "approver_group")
  public String approverGroup;

  @Column(name = "min_approvals")
  public int minApprovals;

  /** pending | approved | denied | expired | cancelled | withdrawn */
  public String state;

  @Column(name = "requested_at")
  public OffsetDateTime requestedAt;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "decided_at")
  public OffsetDateTime decidedAt;

  @Column(name = "decided_by")
  public String decidedBy;

  public String reason;

  @Version
  @Column(name = "row_version")
  public long version;
}
