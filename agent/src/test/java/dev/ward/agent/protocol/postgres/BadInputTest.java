package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.SessionPolicies;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {

  static ProxyHarness ward;
  static Connection bystander;

  @BeforeAll
  static void start() throws Exception {
    ward =
        ProxyHarness.start(
            b -> b.setAllowPlaintextGrant(true),
            SessionPolicies.passThrough(),
            ListenerLimits.defaults()
                .withHandshakeTimeout(Duration.ofSeconds(2))
                .withMaxMessage(1024 * 1024));
    Properties plaintext = new Properties();
    plaintext.setProperty("sslmode", "disable");
    bystander = ward.jdbc(plaintext);
  }

  @AfterEach
  void otherSessionsAreUnaffected() throws Exception {
    try (ResultSet rs = bystander.createStatement().executeQuery("SELECT 41 + 1")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    bystander.close();
    ward.close();
  }

  @Test
  void oversizedStartupPacketIsRefusedWithProtocolViolation() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.send(ByteBuffer.allocate(8).putInt(100_000).putInt(196608).array());
      RawClient.Message error = c.readError();
      assertThat(error.field('C')).isEqualTo("08P01");
      assertThat(error.field('M')).contains("exceeds the limit");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void startupPacketWithImpossibleLengthIsRefused() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.send(ByteBuffer.allocate(8).putInt(3).putInt(196608).array());
      assertThat(c.readError().field('C')).isEqualTo("08P01");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void unterminatedStartupParametersAreRefused() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      byte[] junk = "user\0alice".getBytes();
      c.send(
          ByteBuffer.allocate(8 + junk.length)
              .putInt(8 + junk.length)
              .putInt(196608)
              .put(junk)
              .array());
      assertThat(c.readError().field('C')).isEqualTo("08P01");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void startupThatNeverFinishesTimesOut() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.send(new byte[] {0, 0, 0}); // half a length, then silence
      RawClient.Message error = c.readError();
      assertThat(error.field('M')).contains("did not finish signing in");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void truncatedMessageFollowedByDisconnectLeavesNothingBehind() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.login(ward.grant());
      c.send(new byte[] {'Q', 0, 0, 0, 100, 'S', 'E', 'L'});
    }
    for (int i = 0; i < 50 && listener().openSessions() > 1; i++) {
      Thread.sleep(100);
    }
    assertThat(listener().openSessions()).isEqualTo(1);
  }

  @Test
  void oversizedMessageAfterLoginEndsTheSessionWithProtocolViolation() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.login(ward.grant());
      c.send(new byte[] {'Q', 0, 0x20, 0, 0}); // claims 2 MiB, limit is 1 MiB
      RawClient.Message error = c.readError();
      assertThat(error.field('C')).isEqualTo("08P01");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(ward.recorder.last().end().getReason()).isEqualTo("protocol-error");
  }

  @Test
  void malformedBindIsRefusedAndTheSessionEnds() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.login(ward.grant());
      // a Bind that claims 5 parameters but carries none
      c.send(RawClient.typed('B', new byte[] {0, 0, 0, 0, 0, 5}));
      assertThat(c.readError().field('C')).isEqualTo("08P01");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void plaintextBytesSmuggledAfterSslRequestAreRefused() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      byte[] ssl = ByteBuffer.allocate(8).putInt(8).putInt(80877103).array();
      c.send(RawClient.concat(ssl, RawClient.startup("alice", "shop")));
      // the agent answers nothing but an error over plaintext and closes
      int first = c.read().type();
      assertThat((char) first).isEqualTo('E');
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void gssEncryptionIsDeclinedAndStartupContinues() throws Exception {
    try (RawClient c = new RawClient(ward.port)) {
      c.send(ByteBuffer.allocate(8).putInt(8).putInt(80877104).array());
      assertThat((char) c.readByte()).isEqualTo('N');
      c.login(ward.grant());
    }
  }

  private static PostgresListener listener() {
    return (PostgresListener) ward.listener;
  }
}
