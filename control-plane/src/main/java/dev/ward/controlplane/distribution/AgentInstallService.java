package dev.ward.controlplane.distribution;

import dev.ward.controlplane.agent.Agent;
import dev.ward.controlplane.agent.channel.AgentStreams;
import dev.ward.controlplane.agent.repository.AgentRepository;
import dev.ward.controlplane.agent.rest.AgentView;
import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.security.OpaqueTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Prepares the install of an agent: gives it a fresh token (only its digest is stored; the old
 * token stops working at once) and the snippets that install the distribution with it.
 */
@ApplicationScoped
public class AgentInstallService {

  private final AgentRepository agents;
  private final AgentStreams streams;
  private final AgentDistribution distribution;
  private final String moduleSource;
  private final AuditLog audit;

  public AgentInstallService(
      AgentRepository agents,
      AgentStreams streams,
      AgentDistribution distribution,
      @ConfigProperty(name = "ward.distribution.terraform-module-source") String moduleSource,
      AuditLog audit) {
    this.audit = audit;
    this.agents = agents;
    this.streams = streams;
    this.distribution = distribution;
    this.moduleSource = moduleSource;
  }

  /** What the caller gets once: the new token, the version and the snippets. */
  public record AgentInstall(
      UUID agentId,
      String agentName,
      String token,
      String version,
      String installScriptUrl,
      InstallSnippets snippets) {}

  /**
   * Rotates the token of the caller's agent {@code id} (404 for another tenant's) and returns how
   * to install it. The distribution is checked first, so a control plane without one never rotates
   * a token for nothing.
   */
  public Uni<AgentInstall> prepare(UUID id, Optional<AgentVersion> wanted, String publicUrl) {
    return Uni.createFrom()
        .item(() -> distribution.resolve(wanted))
        .chain(version -> agents.get(id).chain(agent -> rotate(agent, version, publicUrl)))
        // A process still holding the old token is cut off now, not at its next reconnect.
        .invoke(install -> streams.disconnect(install.agentId(), "the agent token was rotated"));
  }

  private Uni<AgentInstall> rotate(Agent agent, AgentVersion version, String publicUrl) {
    if (agent.revokedAt != null) {
      throw Problem.conflict(
          "Agent "
              + agent.name
              + " is revoked and cannot be installed again; register a new agent.");
    }
    String token = OpaqueTokens.issue(OpaqueTokens.AGENT_PREFIX);
    agent.tokenHash = OpaqueTokens.digest(token);
    // Who cut an agent off and issued a new credential is the audit log's business.
    return agent
        .<Agent>persist()
        .call(
            saved ->
                audit.record("agent.token-rotate", "agent", saved.id, null, AgentView.of(saved)))
        .map(saved -> result(saved, token, version, publicUrl));
  }

  private AgentInstall result(Agent agent, String token, AgentVersion version, String publicUrl) {
    return new AgentInstall(
        agent.id,
        agent.name,
        token,
        version.value(),
        publicUrl + DistributionResource.PATH + "/install.sh?version=" + version,
        InstallSnippets.of(publicUrl, version, agent.name, token, moduleSource));
  }
}
