package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.SessionPolicies;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While the agent cannot reach the control plane it keeps enforcing its last config; each
 * connection's offline mode decides whether new sessions start meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OfflineModeTest {

  @Test
  void failClosedConnectionRefusesNewSessionsWith57P03AndNothingGoesUpstream() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0);
        ProxyHarness ward =
            ProxyHarness.start(
                b ->
                    b.setTarget("127.0.0.1:" + upstream.getLocalPort())
                        .setOfflineMode("fail-closed"),
                SessionPolicies.passThrough(),
                ListenerLimits.defaults())) {
      ward.controlPlaneReachable.set(false);
      assertThatThrownBy(ward::jdbc)
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("57P03");
                assertThat(e.getMessage())
                    .contains("connection shop-db admits no new sessions")
                    .contains("fail-closed");
              });
      upstream.setSoTimeout(300);
      assertThatThrownBy(upstream::accept).isInstanceOf(SocketTimeoutException.class);
      assertThat(ward.recorder.sessions()).isEmpty();
    }
  }

  @Test
  void connectionWithoutAnOfflineModeIsFailClosed() throws Exception {
    try (ProxyHarness ward = ProxyHarness.start()) {
      ward.controlPlaneReachable.set(false);
      assertThatThrownBy(ward::jdbc)
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("57P03");
    }
  }

  @Test
  void failOpenConnectionAdmitsNewSessionsUnderTheLastConfig() throws Exception {
    try (ProxyHarness ward = ProxyHarness.start(b -> b.setOfflineMode("fail-open"))) {
      ward.controlPlaneReachable.set(false);
      try (var c = ward.jdbc();
          ResultSet rs = c.createStatement().executeQuery("SELECT 41 + 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      assertThat(ward.recorder.sessions()).hasSize(1);
    }
  }

  @Test
  void sessionOpenedBeforeTheControlPlaneWentAwayKeepsWorkingAndNewOnesStartOnceItIsBack()
      throws Exception {
    try (ProxyHarness ward = ProxyHarness.start(b -> b.setOfflineMode("fail-closed"));
        var open = ward.jdbc()) {
      ward.controlPlaneReachable.set(false);
      try (ResultSet rs = open.createStatement().executeQuery("SELECT 'still here'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("still here");
      }
      assertThatThrownBy(ward::jdbc).isInstanceOf(SQLException.class);
      ward.controlPlaneReachable.set(true);
      try (var again = ward.jdbc();
          ResultSet rs = again.createStatement().executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
