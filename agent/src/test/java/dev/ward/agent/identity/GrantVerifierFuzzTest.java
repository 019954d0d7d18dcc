package dev.ward.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A grant is the password a client presents, so anyone who can reach a listener controls it: the
 * verifier must answer every token with a grant or a {@link GrantRejectedException}. The first
 * target takes any string; the second signs fuzzed claims with a trusted key, so the claim checks
 * behind the signature are reached too, and asserts that what passes them is a grant for this
 * connection. Seeds sit in {@code GrantVerifierFuzzTestInputs}; see docs/reliability.md.
 */
class GrantVerifierFuzzTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final DevGrantSigner SIGNER =
      new DevGrantSigner("k1", "https://ward.test/acme", "acme");
  private static final GrantVerifier VERIFIER = new GrantVerifier(Clock.fixed(NOW, ZoneOffset.UTC));
  private static final String[] CLAIMS = {
    "iss", "aud", "sub", "act", "sid", "jti", "iat", "nbf", "exp", "groups", "tid", "owner", "email"
  };

  static {
    VERIFIER.update(
        ConfigSnapshot.newBuilder().setTenantId("acme").addGrantKeys(SIGNER.grantKey()).build());
  }

  @FuzzTest(maxDuration = "5s")
  void anyTokenYieldsAGrantOrARejection(byte[] token) {
    try {
      VERIFIER.verify(new String(token, java.nio.charset.StandardCharsets.UTF_8), "conn-1");
    } catch (GrantRejectedException refused) {
      // the client is told why, in the protocol's terms
    }
  }

  @FuzzTest(maxDuration = "5s")
  void signedClaimsAreCheckedBehindTheSignature(FuzzedDataProvider data) {
    ObjectNode claims =
        SIGNER.grant("conn-1", "alice").issuedAt(NOW.minusSeconds(60)).actor("bot").claims();
    ObjectNode header = SIGNER.header();
    int changes = data.consumeInt(0, 4);
    for (int i = 0; i < changes; i++) {
      ObjectNode target = data.consumeBoolean() ? claims : header;
      String name = data.pickValue(CLAIMS);
      switch (data.consumeInt(0, 5)) {
        case 0 -> target.remove(name);
        case 1 -> target.put(name, data.consumeString(64));
        case 2 -> target.put(name, data.consumeLong());
        case 3 -> target.putArray(name).add(data.consumeString(16)).add(data.consumeInt());
        case 4 -> target.putNull(name);
        default -> target.put(name, data.consumeDouble());
      }
    }
    try {
      Grant grant = VERIFIER.verify(SIGNER.sign(header, claims), "conn-1");
      assertThat(grant.tenantId()).isEqualTo("acme");
      assertThat(grant.subject()).isNotBlank();
    } catch (GrantRejectedException refused) {
      // the client is told why, in the protocol's terms
    }
  }
}
