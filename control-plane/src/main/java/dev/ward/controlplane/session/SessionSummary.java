package dev.ward.controlplane.session;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.Formula;

/**
 * The index entry of one recorded session, as agents report it: who, through which connection,
 * when, what happened in numbers, and where the recording lies in object storage.
 */
@Entity
@Table(name = "sessions")
public class SessionSummary extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  @Column(name = "agent_id")
  public UUID agentId;

  @Column(name = "connection_id")
  public UUID connectionId;

  @Column(name = "work_session_id")
  public String workSessionId;

  public String subject;
  public String email;

  /** For a service account's session: the person who owns the account. */
  @Column(name = "owner_subject")
  public String ownerSubject;

  @Column(name = "owner_email")
  public String ownerEmail;

  /** The AI agent acting for the subject, if any. */
  public String actor;

  /** started | ended | interrupted */
  public String state;

  @Column(name = "started_at")
  public OffsetDateTime startedAt;

  @Column(name = "ended_at")
  public OffsetDateTime endedAt;

  @Column(name = "statement_count")
  public long statementCount;

  @Column(name = "masked_count")
  public long maskedCount;

  @Column(name = "blocked_count")
  public long blockedCount;

  /**
   * Approval requests the session raised (held statements, requests, pushes, tool calls), counted
   * from the approvals table when the row is read.
   */
  @Formula("(SELECT count(*) FROM approvals a WHERE a.session_id = id)")
  public long approvalCount;

  @Column(name = "recording_prefix")
  public String recordingPrefix;

  @Column(name = "policy_version")
  public Long policyVersion;

  @Column(name = "search_text")
  public String searchText;

  /**
   * The last verification's verdict: {@code unverified}, {@code INTACT}, {@code INTACT_RECOVERED},
   * {@code TAIL_MISSING} or {@code TAMPERED}.
   */
  public String integrity;

  /** How the recording was tampered with, when {@link #integrity} is TAMPERED. */
  @Column(name = "integrity_kind")
  public String integrityKind;

  @Column(name = "integrity_segment")
  public Long integritySegment;

  @Column(name = "integrity_detail")
  public String integrityDetail;

  @Column(name = "verified_at")
  public OffsetDateTime verifiedAt;

  /** While set, retention never deletes the recording. */
  @Column(name = "legal_hold")
  public boolean legalHold;

  @Column(name = "legal_hold_reason")
  public String legalHoldReason;

  @Column(name = "legal_hold_by")
  public String legalHoldBy;

  @Column(name = "legal_hold_at")
  public OffsetDateTime legalHoldAt;

  /** When retention deleted the recording from the bucket; the index entry stays. */
  @Column(name = "recording_deleted_at")
  public OffsetDateTime recordingDeletedAt;
}
