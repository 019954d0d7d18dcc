package dev.ward.controlplane.agent.channel;

import dev.ward.proto.channel.v1.ControlMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** The agent streams this control-plane replica holds, by agent id. */
@ApplicationScoped
public class AgentStreams {

  private static final Logger LOG = Logger.getLogger(AgentStreams.class);

  private final Map<UUID, AgentStream> byAgent = new ConcurrentHashMap<>();
  private final ConfigSnapshots snapshots;

  public AgentStreams(ConfigSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  /** Registers a new stream; an older stream of the same agent is closed. */
  void attach(AgentStream stream) {
    AgentStream previous = byAgent.put(stream.agentId(), stream);
    if (previous != null && previous != stream) {
      previous.close("a newer connection of the same agent replaced this one");
    }
  }

  void detach(AgentStream stream) {
    byAgent.remove(stream.agentId(), stream);
  }

  /** Closes the agent's stream, if this replica holds it. */
  public void disconnect(UUID agentId, String reason) {
    AgentStream stream = byAgent.get(agentId);
    if (stream != null) {
      stream.close(reason);
    }
  }

  /**
   * Sends the tenant's current configuration to each of its agents connected here: one read for the
   * tenant, then each agent gets its part. Agents of other tenants get nothing.
   */
  public void publish(UUID tenantId) {
    List<AgentStream> held =
        byAgent.values().stream().filter(s -> tenantId.equals(s.tenantId())).toList();
    if (held.isEmpty()) {
      return;
    }
    snapshots
        .load(tenantId)
        .subscribe()
        .with(
            config -> held.forEach(stream -> stream.push(config)),
            e -> LOG.warnf("Could not read the config of tenant %s: %s", tenantId, e.getMessage()));
  }

  /** Publishes to every tenant with an agent here, e.g. after notifications may have been lost. */
  public void publishAll() {
    byAgent.values().stream()
        .map(AgentStream::tenantId)
        .filter(java.util.Objects::nonNull)
        .collect(Collectors.toSet())
        .forEach(this::publish);
  }

  /** Sends a message to the agent if this replica holds its stream; returns whether it did. */
  public boolean send(UUID agentId, ControlMessage message) {
    AgentStream stream = byAgent.get(agentId);
    if (stream == null) {
      return false;
    }
    stream.deliver(message);
    return true;
  }

  /** The agents whose streams this replica holds. */
  public java.util.Set<UUID> agentIds() {
    return java.util.Set.copyOf(byAgent.keySet());
  }

  public int size() {
    return byAgent.size();
  }
}
