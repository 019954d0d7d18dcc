package dev.ward.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EnvelopeTest {

  private static final byte[] OWNER = "tenant:a/idp".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "client-secret".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSealedSecretOpensWithTheSameKeyAndOwner() {
    SecretKey key = Envelope.newKey();
    byte[] sealed = Envelope.seal(key, SECRET, OWNER);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("client-secret");
    assertThat(Envelope.open(key, sealed, OWNER)).isEqualTo(SECRET);
  }

  @Test
  void sealingTheSameSecretTwiceGivesDifferentBytes() {
    SecretKey key = Envelope.newKey();
    assertThat(Envelope.seal(key, SECRET, OWNER)).isNotEqualTo(Envelope.seal(key, SECRET, OWNER));
  }

  @Test
  void anotherKeyAnotherOwnerOrATamperedByteDoNotOpen() {
    SecretKey key = Envelope.newKey();
    byte[] sealed = Envelope.seal(key, SECRET, OWNER);
    assertThatThrownBy(() -> Envelope.open(Envelope.newKey(), sealed, OWNER))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
    assertThatThrownBy(
            () -> Envelope.open(key, sealed, "tenant:b/idp".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> Envelope.open(key, tampered, OWNER))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
    assertThatThrownBy(() -> Envelope.open(key, new byte[] {1, 2, 3}, OWNER))
        .isInstanceOf(Envelope.UnreadableSecretException.class);
  }

  @Test
  void aMasterKeyMustHave32Bytes() {
    assertThatThrownBy(() -> new MasterKey(java.util.Optional.of("c2hvcnQ=")))
        .hasMessageContaining("32 random bytes");
    assertThatThrownBy(() -> new MasterKey(java.util.Optional.of("not base64!")))
        .hasMessageContaining("Base64");
    assertThat(new MasterKey(java.util.Optional.empty()).present()).isFalse();
  }
}
