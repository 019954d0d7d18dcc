package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class ScramClientTest {

  // RFC 7677, section 3
  static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

  @Test
  void producesTheProofOfTheRfc7677Example() throws Exception {
    ScramClient scram = new ScramClient("pencil", "user", "rOprNGfwEbeRWgbNEkqO");
    assertThat(new String(scram.clientFirst(), StandardCharsets.US_ASCII))
        .isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    assertThat(new String(scram.clientFinal(bytes(SERVER_FIRST)), StandardCharsets.US_ASCII))
        .isEqualTo(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    scram.verifyServerFinal(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
  }

  @Test
  void serverThatDoesNotKnowThePasswordIsNotBelieved() throws Exception {
    ScramClient scram = new ScramClient("pencil", "user", "rOprNGfwEbeRWgbNEkqO");
    scram.clientFirst();
    scram.clientFinal(bytes(SERVER_FIRST));
    assertThatThrownBy(
            () -> scram.verifyServerFinal(bytes("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void serverNonceMustExtendTheClientNonce() {
    ScramClient scram = new ScramClient("pencil", "user", "abc");
    scram.clientFirst();
    assertThatThrownBy(() -> scram.clientFinal(bytes("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void md5AnswerMatchesPostgresFormula() throws Exception {
    // md5(md5("secret" + "alice") + salt), as libpq computes it
    assertThat(UpstreamLogin.md5("alice", "secret", new byte[] {1, 2, 3, 4}))
        .startsWith("md5")
        .hasSize(35);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
