package dev.ward.controlplane.agent.service;

import dev.ward.controlplane.agent.Agent;
import dev.ward.controlplane.agent.channel.AgentStreams;
import dev.ward.controlplane.agent.repository.AgentRepository;
import dev.ward.controlplane.agent.rest.AgentView;
import dev.ward.controlplane.audit.AuditLog;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.persistence.Criteria;
import dev.ward.controlplane.common.persistence.Page;
import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import dev.ward.controlplane.security.OpaqueTokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** Registers, lists and revokes a tenant's agents. */
@ApplicationScoped
public class AgentService {

  private static final Sorting SORTING =
      Sorting.by(
          "name",
          Map.of(
              "name", "name",
              "createdAt", "createdAt",
              "lastHeartbeatAt", "lastHeartbeatAt",
              "configVersionAcked", "configVersionAcked"));

  private final AgentRepository agents;
  private final AgentStreams streams;
  private final AuditLog audit;

  public AgentService(AgentRepository agents, AgentStreams streams, AuditLog audit) {
    this.agents = agents;
    this.streams = streams;
    this.audit = audit;
  }

  /** Filters of the agent list; null means not filtered. */
  public record Filter(String name, String status) {}

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
              return agent
                  .<Agent>persist()
                  .call(Panache::flush)
                  .call(
                      saved ->
                          audit.record(
                              "agent.register", "agent", saved.id, null, AgentView.of(saved)))
                  .map(saved -> new Registered(saved, token));
            });
  }

  public Uni<Page<Agent>> page(Filter filter, PageRequest request) {
    Criteria criteria = Criteria.all().startsWith("name", filter.name());
    if (filter.status() != null) {
      switch (filter.status()) {
        case "online" -> criteria.equal("connected", true).present("revokedAt", false);
        case "offline" -> criteria.equal("connected", false).present("revokedAt", false);
        case "revoked" -> criteria.present("revokedAt", true);
        default -> throw Problem.invalidField("status", "choose one of online, offline, revoked");
      }
    }
    return agents.page(criteria, request, SORTING);
  }

  public Uni<Agent> get(UUID id) {
    return agents.get(id);
  }

  /**
   * Revokes the agent's token and closes its channel; it cannot reconnect. The replica holding the
   * stream may be another one: the database notifies them all (ward_agent_revoked).
   */
  public Uni<Agent> revoke(UUID id) {
    return agents
        .get(id)
        .call(
            agent -> {
              if (agent.revokedAt != null) {
                return Uni.createFrom().voidItem();
              }
              AgentView before = AgentView.of(agent);
              agent.revokedAt = OffsetDateTime.now();
              agent.connected = false;
              return Panache.flush()
                  .call(
                      () ->
                          audit.record(
                              "agent.revoke", "agent", agent.id, before, AgentView.of(agent)));
            })
        .invoke(agent -> streams.disconnect(agent.id, "the agent was revoked"));
  }
}
