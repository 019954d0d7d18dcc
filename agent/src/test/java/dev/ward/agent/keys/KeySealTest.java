package dev.ward.agent.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySealTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  final KeySeal seal = KeySeal.fromAgentToken("wagt_key-seal-test-token-0001");

  @Test
  void sealedFileOpensToTheSameBytesAndHoldsThemNowhereInTheClear(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("k.key");
    seal.write(file, "masking", KEY);

    assertThat(seal.read(file, "masking")).isEqualTo(KEY);
    assertThat(KeySeal.isSealed(file)).isTrue();
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
        .doesNotContain("0123456789abcdef");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void eachSealingUsesItsOwnSaltAndNonce() {
    assertThat(seal.seal("masking", KEY)).isNotEqualTo(seal.seal("masking", KEY));
  }

  @Test
  void anotherSecretOrAnotherPurposeOrAChangedByteCannotOpenIt() throws Exception {
    byte[] sealed = seal.seal("masking", KEY);

    assertThatThrownBy(
            () -> KeySeal.fromAgentToken("wagt_another-token-00000000").open("masking", sealed))
        .hasMessageContaining("another token");
    assertThatThrownBy(() -> seal.open("recording-signing", sealed))
        .hasMessageContaining("cannot be opened");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> seal.open("masking", sealed)).hasMessageContaining("was changed");
    assertThatThrownBy(() -> seal.open("masking", KEY)).hasMessageContaining("not a sealed");
  }

  @Test
  void aKeyEncryptionKeyFileSealsIndependentlyOfTheToken(@TempDir Path dir) throws Exception {
    Path kek = Files.write(dir.resolve("kek"), KEY);
    KeySeal fromFile = KeySeal.fromFile(kek);
    byte[] sealed = fromFile.seal("tls-ca", KEY);

    assertThat(KeySeal.fromFile(kek).open("tls-ca", sealed)).isEqualTo(KEY);
    assertThatThrownBy(() -> seal.open("tls-ca", sealed)).hasMessageContaining("cannot be opened");
    assertThatThrownBy(() -> KeySeal.fromAgentToken("short"))
        .hasMessageContaining("at least 16 bytes");
  }

  @Test
  void afterATokenRotationAFileSealedUnderThePreviousTokenIsSealedAgainUnderTheNewOne(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.key");
    seal.write(file, "masking", KEY);
    KeySeal rotated = KeySeal.fromAgentToken("wagt_the-rotated-token-000000");

    assertThatThrownBy(() -> rotated.read(file, "masking")).hasMessageContaining("another token");
    assertThat(rotated.withPrevious(seal).read(file, "masking")).isEqualTo(KEY);
    // sealed again: the new token alone opens it from now on
    assertThat(rotated.read(file, "masking")).isEqualTo(KEY);
    assertThatThrownBy(() -> seal.read(file, "masking")).hasMessageContaining("cannot be opened");
  }

  @Test
  void aFileSealedUnderAnyOlderSecretInTheChainIsSealedAgainUnderTheNewest(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("k.key");
    seal.write(file, "masking", KEY);
    KeySeal rotated = KeySeal.fromAgentToken("wagt_the-rotated-token-000000");
    Path kekFile = Files.writeString(dir.resolve("kek"), "a-key-encryption-key-of-32-bytes");
    KeySeal kek = KeySeal.fromFile(kekFile);

    assertThat(kek.withPrevious(rotated.withPrevious(seal)).read(file, "masking")).isEqualTo(KEY);
    assertThat(kek.read(file, "masking")).isEqualTo(KEY);
    assertThatThrownBy(
            () ->
                KeySeal.fromAgentToken("wagt_another-token-0000000000")
                    .withPrevious(rotated)
                    .read(file, "masking"))
        .hasMessageContaining("nor with the agent token");
  }
}
