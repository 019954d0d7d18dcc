package dev.ward.agent.policy;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.config.EnforcedConfig;
import dev.ward.agent.protocol.SessionPolicies;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.Policies;
import dev.ward.policy.PolicyCompiler;
import dev.ward.policy.PolicyValidationException;
import dev.ward.policy.access.AccessDecision;
import dev.ward.policy.masking.MaskingKey;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import dev.ward.proto.recording.v1.SessionStart;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The policy engine as the agent's listeners see it. Each config snapshot's policy documents are
 * compiled once; a snapshot with a document that does not compile is refused whole, so the agent
 * keeps enforcing the previous policies. A connection without a policy gets Ward's default one
 * (every secret family masked, DROP and TRUNCATE denied): an agent never runs unguarded.
 */
public final class ConnectionPolicies implements SessionPolicies, EnforcedConfig.Stage {

  private record Compiled(Map<String, CompiledPolicy> byConnection, Map<String, String> names) {}

  private static final CompiledPolicy DEFAULT = Policies.defaultPolicy();

  private final byte[] maskingSecret;
  private final ApprovalDesk desk;
  // One decision cache per compiled policy; a new snapshot compiles new policies, so stale
  // decisions can never outlive the policy that made them.
  private final Map<CompiledPolicy, StatementDecisions> decisions =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private volatile Compiled current = new Compiled(Map.of(), Map.of());

  /**
   * @param maskingSecret this agent's secret for deterministic masking tokens
   */
  public ConnectionPolicies(byte[] maskingSecret) {
    this(maskingSecret, null);
  }

  /**
   * @param maskingSecret this agent's secret for deterministic masking tokens
   * @param desk where held operations wait for approval; null refuses them instead
   */
  public ConnectionPolicies(byte[] maskingSecret, ApprovalDesk desk) {
    this.maskingSecret = maskingSecret.clone();
    this.desk = desk;
  }

  @Override
  public CompletionStage<Void> apply(ConfigSnapshot snapshot) {
    Map<String, CompiledPolicy> byPolicy = new HashMap<>();
    for (Policy p : snapshot.getPoliciesList()) {
      try {
        byPolicy.put(p.getId(), PolicyCompiler.compile(p.getDocumentJson()));
      } catch (PolicyValidationException e) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException(
                "policy " + p.getName() + " does not compile: " + e.getMessage()));
      }
    }
    Map<String, CompiledPolicy> byConnection = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (Connection c : snapshot.getConnectionsList()) {
      names.put(c.getId(), c.getName());
      if (!c.getPolicyId().isEmpty()) {
        CompiledPolicy policy = byPolicy.get(c.getPolicyId());
        if (policy == null) {
          return CompletableFuture.failedFuture(
              new IllegalArgumentException(
                  "connection "
                      + c.getName()
                      + " names policy "
                      + c.getPolicyId()
                      + ", which the snapshot lacks"));
        }
        byConnection.put(c.getId(), policy);
      }
    }
    current = new Compiled(Map.copyOf(byConnection), Map.copyOf(names));
    return CompletableFuture.completedFuture(null);
  }

  /** The compiled policy a connection enforces. */
  public CompiledPolicy policyOf(String connectionId) {
    return current.byConnection().getOrDefault(connectionId, DEFAULT);
  }

  @Override
  public SessionPolicy open(SessionStart start) {
    Compiled now = current;
    CompiledPolicy policy = now.byConnection().getOrDefault(start.getConnectionId(), DEFAULT);
    AccessDecision access =
        policy
            .access()
            .decide(
                new HashSet<>(start.getIdentity().getGroupsList()),
                start.getConnectionId(),
                now.names().getOrDefault(start.getConnectionId(), start.getConnectionName()));
    MaskingKey key = MaskingKey.derive(maskingSecret, start.getTenantId(), start.getSessionId());
    StatementDecisions cached =
        decisions.computeIfAbsent(policy, p -> new StatementDecisions(p.sqlGuardrails()));
    return new EnforcedSessionPolicy(policy, cached, access, policy.masker(key), start, desk);
  }
}
