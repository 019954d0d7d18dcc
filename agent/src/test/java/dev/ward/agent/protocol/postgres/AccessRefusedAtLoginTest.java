package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccessRefusedAtLoginTest {

  /** Lets only the finance group in; the harness's grants carry the group engineering. */
  static final String FINANCE_ONLY =
      """
      {
        "schemaVersion": 1,
        "access": [
          {"id": "finance", "groups": ["finance"], "connections": ["*"], "mode": "read-write"}
        ]
      }
      """;

  @Test
  void userWhoseGroupsHaveNoAccessIsRefusedAtLoginAndNothingGoesUpstream() throws Exception {
    ConnectionPolicies policies = new ConnectionPolicies(new byte[32]);
    policies
        .apply(
            ConfigSnapshot.newBuilder()
                .addPolicies(
                    Policy.newBuilder()
                        .setId("pol-finance")
                        .setName("finance-only")
                        .setDocumentJson(FINANCE_ONLY))
                .addConnections(
                    Connection.newBuilder()
                        .setId(ProxyHarness.CONNECTION_ID)
                        .setName(ProxyHarness.CONNECTION_NAME)
                        .setPolicyId("pol-finance"))
                .build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    // an upstream that only notes whether anyone connected
    try (ServerSocket upstream = new ServerSocket(0);
        ProxyHarness ward =
            ProxyHarness.start(
                b -> b.setTarget("127.0.0.1:" + upstream.getLocalPort()),
                policies,
                ListenerLimits.defaults())) {
      assertThatThrownBy(ward::jdbc)
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage())
                    .contains("Ward: you may not use connection shop-db: ")
                    .contains("None of your groups may use connection 'shop-db'");
              });
      upstream.setSoTimeout(300);
      assertThatThrownBy(upstream::accept).isInstanceOf(SocketTimeoutException.class);
      assertThat(ward.recorder.sessions()).isEmpty();
    }
  }

  @Test
  void refusalHintNamesTheConnectionAndTheUsersGroups() throws Exception {
    ConnectionPolicies policies = new ConnectionPolicies(new byte[32]);
    policies
        .apply(
            ConfigSnapshot.newBuilder()
                .addPolicies(
                    Policy.newBuilder()
                        .setId("pol-finance")
                        .setName("finance-only")
                        .setDocumentJson(FINANCE_ONLY))
                .addConnections(
                    Connection.newBuilder()
                        .setId(ProxyHarness.CONNECTION_ID)
                        .setName(ProxyHarness.CONNECTION_NAME)
                        .setPolicyId("pol-finance"))
                .build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (ProxyHarness ward = ProxyHarness.start(b -> b, policies, ListenerLimits.defaults())) {
      ProxyHarness.Run run = ward.psql("verify-full", "-c", "SELECT 1");
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.output())
          .contains("Ward: you may not use connection shop-db")
          .contains("HINT:")
          .contains("access rule on connection shop-db for one of your groups (engineering)");
    }
  }
}
