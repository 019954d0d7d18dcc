package dev.ward.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.agent.identity.GrantRejectedException.Reason;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantVerifierTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  final DevGrantSigner signer = new DevGrantSigner("k1", "https://ward.test/acme", "acme");
  final GrantVerifier verifier = new GrantVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

  GrantVerifierTest() {
    verifier.update(
        ConfigSnapshot.newBuilder()
            .setTenantId("acme")
            .addGrantKeys(signer.grantKey())
            .addRevokedGrantIds("revoked-grant")
            .addRevokedGrantIds("revoked-run")
            .build());
  }

  DevGrantSigner.Minting grant() {
    return signer.grant("conn-1", "alice").issuedAt(NOW.minusSeconds(60)).actor("claude-code");
  }

  @Test
  void validGrantYieldsTheIdentity() throws Exception {
    Grant g =
        verifier.verify(
            grant().group("eng").workSession("run-1").grantId("g-1").owner("bob").sign(), "conn-1");
    assertThat(g.subject()).isEqualTo("alice");
    assertThat(g.actor()).isEqualTo("claude-code");
    assertThat(g.groups()).containsExactly("eng");
    assertThat(g.workSessionId()).isEqualTo("run-1");
    assertThat(g.grantId()).isEqualTo("g-1");
    assertThat(g.owner()).isEqualTo("bob");
    assertThat(g.tenantId()).isEqualTo("acme");
  }

  @Test
  void grantForAnotherConnectionIsRefused() {
    assertRejected(grant().sign(), "conn-2", Reason.WRONG_AUDIENCE);
  }

  @Test
  void expiredGrantIsRefusedButSmallClockSkewIsTolerated() throws Exception {
    String justExpired =
        grant().issuedAt(NOW.minus(Duration.ofMinutes(15)).minusSeconds(10)).sign();
    assertThat(verifier.verify(justExpired, "conn-1").subject()).isEqualTo("alice");
    assertRejected(
        grant().issuedAt(NOW.minus(Duration.ofHours(1))).sign(), "conn-1", Reason.EXPIRED);
  }

  @Test
  void grantFromTheFutureIsNotYetValid() {
    assertRejected(grant().issuedAt(NOW.plusSeconds(600)).sign(), "conn-1", Reason.NOT_YET_VALID);
  }

  @Test
  void revokedGrantOrWorkSessionIsRefused() {
    assertRejected(grant().grantId("revoked-grant").sign(), "conn-1", Reason.REVOKED);
    assertRejected(grant().workSession("revoked-run").sign(), "conn-1", Reason.REVOKED);
    String later = grant().grantId("g-later").sign();
    verifier.revoke(List.of("g-later"));
    assertRejected(later, "conn-1", Reason.REVOKED);
  }

  @Test
  void aRememberedGrantIsStillCheckedForAudienceAndRevocationOnEveryUse() throws Exception {
    String token = grant().grantId("g-again").sign();
    assertThat(verifier.verify(token, "conn-1").grantId()).isEqualTo("g-again");
    assertThat(verifier.verify(token, "conn-1").grantId()).isEqualTo("g-again");
    assertRejected(token, "conn-2", Reason.WRONG_AUDIENCE);
    verifier.revoke(List.of("g-again"));
    assertRejected(token, "conn-1", Reason.REVOKED);
  }

  @Test
  void aRememberedGrantIsRefusedOnceItsKeyIsNoLongerTrusted() throws Exception {
    String token = grant().sign();
    assertThat(verifier.verify(token, "conn-1").subject()).isEqualTo("alice");
    DevGrantSigner next = new DevGrantSigner("k2", "https://ward.test/acme", "acme");
    verifier.update(
        ConfigSnapshot.newBuilder().setTenantId("acme").addGrantKeys(next.grantKey()).build());
    assertRejected(token, "conn-1", Reason.UNKNOWN_KEY);
  }

  @Test
  void aRememberedGrantIsRefusedWhenTheSameKeyIdNowNamesAnotherKey() throws Exception {
    String token = grant().sign();
    assertThat(verifier.verify(token, "conn-1").subject()).isEqualTo("alice");
    DevGrantSigner impostor = new DevGrantSigner("k1", "https://ward.test/acme", "acme");
    verifier.update(
        ConfigSnapshot.newBuilder().setTenantId("acme").addGrantKeys(impostor.grantKey()).build());
    assertRejected(token, "conn-1", Reason.BAD_SIGNATURE);
  }

  @Test
  void grantOfAnotherTenantIsRefused() {
    assertRejected(grant().tenant("globex").sign(), "conn-1", Reason.OTHER_TENANT);
  }

  @Test
  void signatureByAnotherKeyWithTheSameKeyIdIsRefused() {
    DevGrantSigner impostor = new DevGrantSigner("k1", "https://evil", "acme");
    assertRejected(
        impostor.grant("conn-1", "alice").issuedAt(NOW).sign(), "conn-1", Reason.BAD_SIGNATURE);
  }

  @Test
  void unknownKeyIdIsRefused() {
    DevGrantSigner other = new DevGrantSigner("k2", "https://ward.test/acme", "acme");
    assertRejected(
        other.grant("conn-1", "alice").issuedAt(NOW).sign(), "conn-1", Reason.UNKNOWN_KEY);
  }

  @Test
  void algorithmsOtherThanEdDsaAreRefusedEvenWhenSigned() {
    for (String alg : List.of("none", "HS256", "RS256", "ES256")) {
      ObjectNode header = signer.header().put("alg", alg);
      assertRejected(signer.sign(header, grant().claims()), "conn-1", Reason.UNSUPPORTED_ALGORITHM);
    }
    String unsigned = grant().sign();
    assertRejected(
        unsigned.substring(0, unsigned.lastIndexOf('.') + 1), "conn-1", Reason.BAD_SIGNATURE);
  }

  @Test
  void oversizedOrMalformedTokensAreRefusedBeforeParsing() {
    assertRejected("x".repeat(GrantVerifier.MAX_TOKEN_LENGTH + 1), "conn-1", Reason.OVERSIZED);
    assertRejected("not-a-jwt", "conn-1", Reason.MALFORMED);
    assertRejected("a.b.c.d", "conn-1", Reason.MALFORMED);
    assertRejected("%%%.e30.AA", "conn-1", Reason.MALFORMED);
    assertRejected("", "conn-1", Reason.MALFORMED);
  }

  @Test
  void messagesNeverRepeatTheToken() {
    String token = grant().sign();
    assertThatThrownBy(() -> verifier.verify(token, "conn-2"))
        .hasMessageNotContaining(token.substring(0, 20));
  }

  private void assertRejected(String token, String connection, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(token, connection))
        .isInstanceOf(GrantRejectedException.class)
        .satisfies(e -> assertThat(((GrantRejectedException) e).reason()).isEqualTo(reason));
  }
}
