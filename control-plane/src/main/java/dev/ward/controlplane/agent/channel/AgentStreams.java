package dev.ward.controlplane.agent.channel;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The agent streams this control-plane replica holds, by agent id. */
@ApplicationScoped
public class AgentStreams {

  private final Map<UUID, AgentStream> byAgent = new ConcurrentHashMap<>();

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

  /** Sends the tenant's current snapshot to each of its agents connected here. */
  public void publish(UUID tenantId) {
    byAgent.values().stream()
        .filter(s -> tenantId.equals(s.tenantId()))
        .forEach(AgentStream::sendSnapshot);
  }

  public int size() {
    return byAgent.size();
  }
}
