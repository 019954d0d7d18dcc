package dev.ward.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.agent.keys.KeySeal;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentSigningKeyTest {

  static final KeySeal SEAL = KeySeal.fromAgentToken("wagt_signing-key-test-0123456789");

  @TempDir Path dataDir;

  @Test
  void keyIsCreatedOnFirstStartReadableOnlyByTheAgentAndKeptAcrossRestarts() throws Exception {
    RecordingSigner first = AgentSigningKey.loadOrCreate(dataDir, SEAL);
    RecordingSigner again = AgentSigningKey.loadOrCreate(dataDir, SEAL);

    Path file = dataDir.resolve(AgentSigningKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(again.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
  }

  @Test
  void publicKeyIsAnnouncedAsBase64SpkiThatVerifiersCanParse() throws Exception {
    RecordingSigner signer = AgentSigningKey.loadOrCreate(dataDir, SEAL);

    assertThat(TrustedKeys.parse(signer.publicKeyBase64())).isEqualTo(signer.publicKey());
  }

  @Test
  void theDataDirectoryHoldsNoPlaintextPrivateKey() throws Exception {
    RecordingSigner signer = AgentSigningKey.loadOrCreate(dataDir, SEAL);

    byte[] pkcs8 = privateKeyOf(signer);
    assertThat(filesHolding(dataDir, pkcs8)).isEmpty();
    assertThat(filesLookingLikeKeys(dataDir)).isEmpty();
    assertThat(KeySeal.isSealed(dataDir.resolve(AgentSigningKey.FILE_NAME))).isTrue();
  }

  @Test
  void anotherTokenCannotOpenTheKeyAndTheMessageSaysWhy() throws Exception {
    AgentSigningKey.loadOrCreate(dataDir, SEAL);

    assertThatThrownBy(
            () ->
                AgentSigningKey.loadOrCreate(
                    dataDir, KeySeal.fromAgentToken("wagt_another-agents-token-000000")))
        .hasMessageContaining(AgentSigningKey.FILE_NAME)
        .hasMessageContaining("another token");
  }

  @Test
  void aPlaintextKeyAnOlderAgentLeftIsSealedInPlaceAndStaysTheSameKey() throws Exception {
    var pair = RecordingSigner.generateKeyPair();
    Properties p = new Properties();
    p.setProperty("algorithm", "Ed25519");
    p.setProperty(
        "private-pkcs8", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    p.setProperty("public-spki", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    try (var out =
        Files.newBufferedWriter(
            dataDir.resolve(AgentSigningKey.FILE_NAME), StandardCharsets.UTF_8)) {
      p.store(out, null);
    }

    RecordingSigner signer = AgentSigningKey.loadOrCreate(dataDir, SEAL);

    assertThat(signer.publicKey()).isEqualTo(pair.getPublic());
    assertThat(filesHolding(dataDir, pair.getPrivate().getEncoded())).isEmpty();
    assertThat(AgentSigningKey.loadOrCreate(dataDir, SEAL).publicKey()).isEqualTo(pair.getPublic());
  }

  /** The private key as the sealed file holds it (PKCS#8), opened the way the agent opens it. */
  private byte[] privateKeyOf(RecordingSigner signer) throws Exception {
    Properties p = new Properties();
    p.load(
        new java.io.StringReader(
            new String(
                SEAL.read(dataDir.resolve(AgentSigningKey.FILE_NAME), AgentSigningKey.PURPOSE),
                StandardCharsets.UTF_8)));
    assertThat(p.getProperty("public-spki")).isEqualTo(signer.publicKeyBase64());
    return Base64.getDecoder().decode(p.getProperty("private-pkcs8"));
  }

  /**
   * Files under {@code dir} holding the key in any form a careless writer would use: the PKCS#8
   * bytes, the raw 32-byte seed at their end, or either in Base64.
   */
  static List<Path> filesHolding(Path dir, byte[] pkcs8) throws Exception {
    byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    List<byte[]> forms =
        List.of(
            pkcs8,
            seed,
            Base64.getEncoder().encode(pkcs8),
            Base64.getEncoder().encode(seed),
            Base64.getEncoder().encode(Arrays.copyOfRange(seed, 0, 30)));
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        if (forms.stream().anyMatch(form -> indexOf(content, form) >= 0)) {
          found.add(f);
        }
      }
    }
    return found;
  }

  /** Files under {@code dir} that look like a plaintext private key of any kind. */
  static List<Path> filesLookingLikeKeys(Path dir) throws Exception {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (text.contains("PRIVATE KEY") || text.contains("private-pkcs8")) {
          found.add(f);
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
