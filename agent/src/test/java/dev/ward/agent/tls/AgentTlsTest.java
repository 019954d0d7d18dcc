package dev.ward.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.keys.KeySeal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTlsTest {

  static final KeySeal SEAL = KeySeal.fromAgentToken("wagt_tls-test-token-0123456789");

  @Test
  void firstStartCreatesACaAndAServerCertificateItSigned(@TempDir Path dir) throws Exception {
    AgentTls tls = AgentTls.loadOrCreate(dir, List.of("db-gw.internal"), SEAL);
    X509Certificate ca = Pem.readCertificates(tls.caPem()).get(0);
    X509Certificate server =
        Pem.readCertificates(Files.readString(dir.resolve("tls/server.pem"))).get(0);
    server.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(server.getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .contains("localhost", "127.0.0.1", "db-gw.internal");
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls/ca.key")))
        .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(KeySeal.isSealed(dir.resolve("tls/ca.key"))).isTrue();
    assertThat(KeySeal.isSealed(dir.resolve("tls/server.key"))).isTrue();
    assertThat(Files.readString(dir.resolve("tls/server.key"), StandardCharsets.ISO_8859_1))
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void plaintextKeysAnOlderAgentLeftAreSealedAndKept(@TempDir Path dir) throws Exception {
    var ca = LocalCertificateAuthority.create("older agent CA");
    Files.createDirectories(dir.resolve("tls"));
    Files.writeString(dir.resolve("tls/ca.key"), Pem.privateKey(ca.key()));
    Files.writeString(dir.resolve("tls/ca.pem"), Pem.certificate(ca.certificate()));

    AgentTls tls = AgentTls.loadOrCreate(dir, List.of(), SEAL);

    assertThat(tls.caPem()).isEqualTo(Pem.certificate(ca.certificate()));
    assertThat(KeySeal.isSealed(dir.resolve("tls/ca.key"))).isTrue();
    assertThat(AgentTls.loadOrCreate(dir, List.of(), SEAL).caPem()).isEqualTo(tls.caPem());
  }

  @Test
  void laterStartsKeepTheCaAndReissueForNewHostNames(@TempDir Path dir) throws Exception {
    String ca = AgentTls.loadOrCreate(dir, List.of(), SEAL).caPem();
    String firstServer = Files.readString(dir.resolve("tls/server.pem"));
    assertThat(AgentTls.loadOrCreate(dir, List.of(), SEAL).caPem()).isEqualTo(ca);
    assertThat(Files.readString(dir.resolve("tls/server.pem"))).isEqualTo(firstServer);
    AgentTls.loadOrCreate(dir, List.of("new-name.internal"), SEAL);
    assertThat(Files.readString(dir.resolve("tls/server.pem"))).isNotEqualTo(firstServer);
    assertThat(AgentTls.loadOrCreate(dir, List.of(), SEAL).caPem()).isEqualTo(ca);
  }

  @Test
  void exportedCaIsThePemClientsTrust(@TempDir Path dir) throws Exception {
    AgentTls tls = AgentTls.loadOrCreate(dir, List.of(), SEAL);
    Path exported = dir.resolve("ward-ca.pem");
    tls.exportCa(exported);
    assertThat(Files.readString(exported)).startsWith("-----BEGIN CERTIFICATE-----");
    var issued = LocalCertificateAuthority.create("operator CA").issueServer(List.of("db"));
    Path chain = Files.writeString(dir.resolve("chain.pem"), Pem.certificate(issued.certificate()));
    Path key = Files.writeString(dir.resolve("key.pem"), Pem.privateKey(issued.key()));
    AgentTls fromFiles = AgentTls.fromPem(chain, key);
    assertThat(fromFiles.keyCertOptions().getCertValues()).hasSize(1);
    tls.warmUp();
  }
}
