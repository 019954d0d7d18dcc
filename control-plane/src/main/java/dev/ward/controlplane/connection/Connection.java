package dev.ward.controlplane.connection;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An upstream that a tenant's agents serve: where the agent listens, what it proxies to, how it
 * finds the upstream credential ({@link #secretRef}, resolved inside the customer network) and
 * which policy it enforces.
 */
@Entity
@Table(name = "connections")
public class Connection extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id", updatable = false)
  public UUID tenantId;

  public String name;

  /** postgres | http | git | mcp | llm */
  public String kind;

  @Column(name = "listen_host")
  public String listenHost;

  @Column(name = "listen_port")
  public int listenPort;

  public String target;

  @Column(name = "database_name")
  public String database;

  public String username;

  /** {@code env:NAME} or {@code file:/path}: where the agent reads the upstream secret. */
  @Column(name = "secret_ref")
  public String secretRef;

  @Column(name = "upstream_tls")
  public String upstreamTls;

  @Column(name = "policy_id")
  public UUID policyId;

  @Column(name = "recording_mode")
  public String recordingMode;

  @Column(name = "offline_mode")
  public String offlineMode;

  @Column(name = "allow_plaintext_grant")
  public boolean allowPlaintextGrant;

  @Column(name = "credential_style")
  public String credentialStyle;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> options;

  /** Comma-separated names of the agents that serve it; empty means every agent. */
  @Column(name = "agent_names")
  public String agentNames;

  @Column(name = "created_at", updatable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Version
  @Column(name = "row_version")
  public long version;

  /** The agents that serve it, by name; empty means every agent of the tenant. */
  public List<String> agents() {
    return agentNames == null || agentNames.isEmpty()
        ? List.of()
        : Arrays.asList(agentNames.split(","));
  }
}
