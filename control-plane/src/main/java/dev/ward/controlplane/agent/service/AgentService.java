package dev.ward.controlplane.agent.service;

import dev.ward.controlplane.agent.Agent;
import dev.ward.controlplane.agent.channel.AgentStreams;
import dev.ward.controlplane.agent.repository.AgentRepository;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.security.OpaqueTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Registers, lists and revokes a tenant's agents. */
@ApplicationScoped
public class AgentService {

  private final AgentRepository agents;
  private final AgentStreams streams;

  public AgentService(AgentRepository agents, AgentStreams streams) {
    this.agents = agents;
    this.streams = streams;
  }

  /** A newly registered agent and its one-time token. */
  public record Registered(Agent agent, String token) {}

  public Uni<Registered> register(String name) {
    return agents
        .findByName(name)
        .chain(
            existing -> {
              if (existing.isPresent()) {
                throw Problem.conflict(
                    "An agent named '" + name + "' exists already; choose another name.");
              }
              String token = OpaqueTokens.issue(OpaqueTokens.AGENT_PREFIX);
              Agent agent = new Agent();
              agent.id = UUID.randomUUID();
              agent.tenantId = agents.tenantId();
              agent.name = name;
              agent.tokenHash = OpaqueTokens.digest(token);
              agent.createdAt = OffsetDateTime.now();
              return agent.<Agent>persist().map(saved -> new Registered(saved, token));
            });
  }

  public Uni<List<Agent>> list() {
    return agents.listAll("e.name");
  }

  public Uni<Agent> get(UUID id) {
    return agents.get(id);
  }

  /** Revokes the agent's token and closes its channel; it cannot reconnect. */
  public Uni<Agent> revoke(UUID id) {
    return agents
        .get(id)
        .invoke(
            agent -> {
              if (agent.revokedAt == null) {
                agent.revokedAt = OffsetDateTime.now();
                agent.connected = false;
              }
            })
        .call(agent -> agent.persist())
        .invoke(agent -> streams.disconnect(agent.id, "the agent was revoked"));
  }
}
