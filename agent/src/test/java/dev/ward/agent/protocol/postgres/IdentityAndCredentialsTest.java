package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.SessionPolicies;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdentityAndCredentialsTest {

  @Test
  void md5AndCleartextUpstreamsAreSignedInWithTheInjectedSecret() throws Exception {
    for (String user : List.of(SharedCluster.MD5_USER, SharedCluster.PASSWORD_USER)) {
      try (ProxyHarness ward = ProxyHarness.start(b -> b.setUsername(user));
          Connection c = ward.jdbc();
          ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(user);
      }
    }
  }

  @Test
  void upstreamTlsRequireAndVerifyFullEncryptTheUpstreamLeg() throws Exception {
    String ca = SharedCluster.get().certificate().orElseThrow().toString();
    for (String mode : List.of("require", "verify-full")) {
      try (ProxyHarness ward =
              ProxyHarness.start(
                  b ->
                      b.setUpstreamTls(mode)
                          .setTarget("localhost:" + SharedCluster.get().port())
                          .putOptions("upstream_ca_file", ca));
          Connection c = ward.jdbc();
          ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as(mode).isTrue();
      }
    }
  }

  @Test
  void expiredGrantIsRefusedWithWhatIsWrongAndHowToGetANewOne() throws Exception {
    try (ProxyHarness ward = ProxyHarness.start()) {
      String expired =
          ward.signer
              .grant(ProxyHarness.CONNECTION_ID, "alice")
              .issuedAt(Instant.now().minus(Duration.ofHours(2)))
              .lifetime(Duration.ofMinutes(15))
              .sign();
      assertThatThrownBy(() -> connect(ward, expired, "require"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01");
                assertThat(e.getMessage()).contains("expired").contains("ward connect shop-db");
              });
      assertThat(ward.recorder.sessions()).isEmpty();
    }
  }

  @Test
  void grantForAnotherConnectionRevokedOrForgedIsRefused() throws Exception {
    try (ProxyHarness ward = ProxyHarness.start()) {
      String otherConnection = ward.signer.grant("conn-other", "alice").sign();
      String revoked = ward.signer.grant(ProxyHarness.CONNECTION_ID, "alice").grantId("g-9").sign();
      ward.verifier.revoke(List.of("g-9"));
      String forged = ward.grant().substring(0, ward.grant().lastIndexOf('.')) + ".AAAA";
      for (var c :
          List.of(
              List.of(otherConnection, "another connection"),
              List.of(revoked, "revoked"),
              List.of(forged, "signature"),
              List.of("upstream-Secret-1", "not a valid Ward grant"))) {
        assertThatThrownBy(() -> connect(ward, c.get(0), "require"))
            .isInstanceOf(SQLException.class)
            .satisfies(
                e -> {
                  assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01");
                  assertThat(e.getMessage()).contains(c.get(1)).doesNotContain("ward_scram");
                });
      }
    }
  }

  @Test
  void grantIsNeverAskedForInPlaintextUnlessTheConnectionAllowsIt() throws Exception {
    try (ProxyHarness ward = ProxyHarness.start()) {
      assertThatThrownBy(() -> connect(ward, ward.grant(), "disable"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage()).contains("requires TLS");
              });
    }
    try (ProxyHarness ward = ProxyHarness.start(b -> b.setAllowPlaintextGrant(true));
        Connection c = connect(ward, ward.grant(), "disable");
        ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void wrongUpstreamSecretIsReportedWithoutTheUpstreamExchange() throws Exception {
    try (ProxyHarness ward =
        ProxyHarness.start(b -> b.setSecretRef("file:/nonexistent/ward-secret"))) {
      assertThatThrownBy(() -> connect(ward, ward.grant(), "require"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));
    }
    java.nio.file.Path wrong = java.nio.file.Files.createTempFile("ward-wrong", ".secret");
    java.nio.file.Files.writeString(wrong, "not-the-password");
    try (ProxyHarness ward = ProxyHarness.start(b -> b.setSecretRef("file:" + wrong))) {
      assertThatThrownBy(() -> connect(ward, ward.grant(), "require"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage())
                    .contains("could not sign in to the upstream")
                    .doesNotContain("ward_scram")
                    .doesNotContain("not-the-password");
              });
      assertThat(ward.recorder.last().end().getReason()).isEqualTo("upstream-error");
    } finally {
      java.nio.file.Files.delete(wrong);
    }
  }

  @Test
  void strictConnectionRefusesSessionsItCannotRecord() throws Exception {
    try (ProxyHarness ward =
        ProxyHarness.start(
            b -> b.setRecordingMode("strict"),
            SessionPolicies.passThrough(),
            ListenerLimits.defaults())) {
      ward.recorder.makeUnavailable();
      assertThatThrownBy(() -> connect(ward, ward.grant(), "require"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("08004");
                assertThat(e.getMessage()).contains("cannot record");
              });
    }
  }

  private static Connection connect(ProxyHarness ward, String password, String sslmode)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "alice");
    p.setProperty("password", password);
    p.setProperty("sslmode", sslmode);
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(ward.jdbcUrl(), p);
  }
}
