package dev.ward.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.protocol.Operation;
import dev.ward.agent.protocol.SessionPolicy;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import dev.ward.proto.recording.v1.Identity;
import dev.ward.proto.recording.v1.SessionStart;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionPoliciesTest {

  static final String FINANCE_ONLY =
      """
      {"schemaVersion": 1,
       "access": [{"id": "finance", "groups": ["finance"], "connections": ["*"], "mode": "read-only"}]}
      """;

  @Test
  void sessionOfAGroupNoAccessRuleNamesIsRefusedWithAReasonForTheUser() throws Exception {
    SessionPolicy policy = financeOnly().open(start("engineering"));

    assertThat(policy.refusal())
        .hasValueSatisfying(
            reason ->
                assertThat(reason).contains("None of your groups may use connection 'ledger'"));
  }

  @Test
  void sessionOfAGrantedGroupIsNotRefused() throws Exception {
    SessionPolicy policy = financeOnly().open(start("finance"));

    assertThat(policy.refusal()).isEmpty();
    assertThat(policy.inspect(new Operation("simple", "SELECT 1", List.of())).allowed()).isTrue();
    assertThat(policy.inspect(new Operation("simple", "DELETE FROM t", List.of())).rule())
        .isEqualTo("read-only-access");
  }

  @Test
  void connectionWithoutAPolicyGetsTheDefaultWhichLetsEveryoneIn() {
    SessionPolicy policy = new ConnectionPolicies(new byte[32]).open(start("anyone"));

    assertThat(policy.refusal()).isEmpty();
  }

  private static ConnectionPolicies financeOnly() throws Exception {
    ConnectionPolicies policies = new ConnectionPolicies(new byte[32]);
    policies
        .apply(
            ConfigSnapshot.newBuilder()
                .addPolicies(
                    Policy.newBuilder()
                        .setId("p1")
                        .setName("finance-only")
                        .setDocumentJson(FINANCE_ONLY))
                .addConnections(
                    Connection.newBuilder().setId("c1").setName("ledger").setPolicyId("p1"))
                .build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return policies;
  }

  private static SessionStart start(String group) {
    return SessionStart.newBuilder()
        .setSessionId("s1")
        .setTenantId("t1")
        .setConnectionId("c1")
        .setConnectionName("ledger")
        .setIdentity(Identity.newBuilder().setSubject("alice").addGroups(group))
        .build();
  }
}
