package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.proto.recording.v1.SessionStart;
import dev.ward.proto.recording.v1.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PsqlThroughWardTest {

  static ProxyHarness ward;

  @BeforeAll
  static void start() throws Exception {
    ward = ProxyHarness.start();
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
  }

  @Test
  void psqlWithVerifyFullReachesTheScramUpstreamAsTheInjectedUser() throws Exception {
    ProxyHarness.Run run =
        ward.psql(
            "verify-full",
            "-At",
            "-c",
            "select current_user, current_database(), (select ssl from pg_stat_ssl where pid ="
                + " pg_backend_pid())");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().trim()).isEqualTo("ward_scram|shop|f");
  }

  @Test
  void sessionStartCarriesTheIdentityFromTheGrant() throws Exception {
    ProxyHarness.Run run = ward.psql("require", "-At", "-c", "select 1");
    assertThat(run.exitCode()).as(run.output()).isZero();
    SessionStart start = ward.recorder.last().start();
    assertThat(start.getIdentity().getSubject()).isEqualTo("alice");
    assertThat(start.getIdentity().getActor()).isEqualTo("claude-code");
    assertThat(start.getIdentity().getWorkSessionId()).isEqualTo("run-42");
    assertThat(start.getIdentity().getGroupsList()).containsExactly("engineering");
    assertThat(start.getConnectionId()).isEqualTo(ProxyHarness.CONNECTION_ID);
    assertThat(start.getClientApplication()).isEqualTo("psql");
    Statement s = ward.recorder.last().statements().get(0);
    assertThat(s.getText()).isEqualTo("select 1");
    assertThat(s.getCommandTag()).isEqualTo("SELECT 1");
    assertThat(s.getRowCount()).isEqualTo(1);
  }
}
