package dev.ward.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTlsTest {

  @Test
  void firstStartCreatesACaAndAServerCertificateItSigned(@TempDir Path dir) throws Exception {
    AgentTls tls = AgentTls.loadOrCreate(dir, List.of("db-gw.internal"));
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
  }

  @Test
  void laterStartsKeepTheCaAndReissueForNewHostNames(@TempDir Path dir) throws Exception {
    String ca = AgentTls.loadOrCreate(dir, List.of()).caPem();
    String firstServer = Files.readString(dir.resolve("tls/server.pem"));
    assertThat(AgentTls.loadOrCreate(dir, List.of()).caPem()).isEqualTo(ca);
    assertThat(Files.readString(dir.resolve("tls/server.pem"))).isEqualTo(firstServer);
    AgentTls.loadOrCreate(dir, List.of("new-name.internal"));
    assertThat(Files.readString(dir.resolve("tls/server.pem"))).isNotEqualTo(firstServer);
    assertThat(AgentTls.loadOrCreate(dir, List.of()).caPem()).isEqualTo(ca);
  }

  @Test
  void exportedCaIsThePemClientsTrust(@TempDir Path dir) throws Exception {
    AgentTls tls = AgentTls.loadOrCreate(dir, List.of());
    Path exported = dir.resolve("ward-ca.pem");
    tls.exportCa(exported);
    assertThat(Files.readString(exported)).startsWith("-----BEGIN CERTIFICATE-----");
    AgentTls fromFiles =
        AgentTls.fromPem(dir.resolve("tls/server.pem"), dir.resolve("tls/server.key"));
    assertThat(fromFiles.keyCertOptions().getCertValues()).hasSize(1);
    tls.warmUp();
  }
}
