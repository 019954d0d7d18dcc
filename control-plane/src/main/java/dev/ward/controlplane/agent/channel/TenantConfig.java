package dev.ward.controlplane.agent.channel;

import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.GrantKey;
import dev.ward.proto.channel.v1.Policy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a tenant's agents enforce at one config version, read in one query. Each agent gets
 * the part that concerns it: the connections it serves and the policies they refer to.
 *
 * @param servedBy for each connection (same order), the names of the agents serving it; empty means
 *     every agent of the tenant
 * @param grantKeys the public keys grants of the tenant are signed with
 * @param revokedGrantIds grants and work sessions revoked before they expire
 */
record TenantConfig(
    String tenantId,
    long version,
    List<Connection> connections,
    List<List<String>> servedBy,
    List<Policy> policies,
    List<GrantKey> grantKeys,
    List<String> revokedGrantIds,
    String consoleUrl) {

  /** The snapshot for one agent of the tenant. */
  ConfigSnapshot snapshotFor(String agentId, String agentName) {
    ConfigSnapshot.Builder snapshot =
        ConfigSnapshot.newBuilder()
            .setVersion(version)
            .setTenantId(tenantId)
            .setAgentId(agentId)
            .setAgentName(agentName)
            .setConsoleUrl(consoleUrl)
            .addAllGrantKeys(grantKeys)
            .addAllRevokedGrantIds(revokedGrantIds);
    Set<String> policyIds = new HashSet<>();
    for (int i = 0; i < connections.size(); i++) {
      List<String> agents = servedBy.get(i);
      if (agents.isEmpty() || agents.contains(agentName)) {
        Connection c = connections.get(i);
        snapshot.addConnections(c);
        if (!c.getPolicyId().isEmpty()) {
          policyIds.add(c.getPolicyId());
        }
      }
    }
    policies.stream().filter(p -> policyIds.contains(p.getId())).forEach(snapshot::addPolicies);
    return snapshot.build();
  }
}
