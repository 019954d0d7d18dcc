package dev.ward.agent.tls;

import dev.ward.agent.keys.KeySeal;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate and key the agent shows clients that ask for TLS, and the CA that clients trust
 * for {@code sslmode=verify-full}. Either generated on first start into the agent's data dir (a
 * local CA that signs a server certificate) or read from PEM files an operator provides.
 */
public final class AgentTls {

  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final String certificateChainPem;
  private final String privateKeyPem;
  private final String caPem;

  private AgentTls(String certificateChainPem, String privateKeyPem, String caPem) {
    this.certificateChainPem = certificateChainPem;
    this.privateKeyPem = privateKeyPem;
    this.caPem = caPem;
  }

  /**
   * Loads the agent's generated TLS material from {@code dataDir/tls}, creating a CA and a server
   * certificate on first start. The server certificate is issued again (by the same CA) when it is
   * close to expiry or lacks one of the host names, so clients keep trusting the same CA.
   *
   * @param hostnames names and addresses clients use to reach the agent; localhost and 127.0.0.1
   *     are always included
   * @param seal seals the CA and server private keys on disk (plaintext ones an older agent left
   *     are sealed on first use)
   */
  public static AgentTls loadOrCreate(Path dataDir, Collection<String> hostnames, KeySeal seal)
      throws IOException {
    Path dir = dataDir.resolve("tls");
    Files.createDirectories(dir);
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    names.addAll(hostnames);
    try {
      LocalCertificateAuthority ca = loadOrCreateCa(dir, seal);
      Path certFile = dir.resolve("server.pem");
      Path keyFile = dir.resolve("server.key");
      if (!Files.exists(certFile)
          || !Files.exists(keyFile)
          || needsNewServerCertificate(Files.readString(certFile), names)) {
        var issued = ca.issueServer(new ArrayList<>(names));
        seal.write(keyFile, "tls-server", ascii(Pem.privateKey(issued.key())));
        writePublic(certFile, Pem.certificate(issued.certificate()));
      }
      String caPem = Pem.certificate(ca.certificate());
      return new AgentTls(
          Files.readString(certFile) + caPem, readPrivate(keyFile, "tls-server", seal), caPem);
    } catch (GeneralSecurityException e) {
      throw new IOException("The agent's TLS material in " + dir + " is not usable: " + e, e);
    }
  }

  /**
   * Uses certificate and key files an operator provides (PEM; the key in PKCS#8). The CA to show
   * clients is the last certificate of the chain file.
   */
  public static AgentTls fromPem(Path certificateChain, Path privateKey) throws IOException {
    String chain = Files.readString(certificateChain);
    String key = Files.readString(privateKey);
    try {
      List<X509Certificate> certs = Pem.readCertificates(chain);
      if (certs.isEmpty()) {
        throw new IOException(certificateChain + " holds no PEM certificate");
      }
      return new AgentTls(chain, key, Pem.certificate(certs.get(certs.size() - 1)));
    } catch (GeneralSecurityException e) {
      throw new IOException(certificateChain + " is not a PEM certificate chain: " + e, e);
    }
  }

  /** The CA certificate (PEM) clients trust, e.g. with {@code sslrootcert=ward-ca.pem}. */
  public String caPem() {
    return caPem;
  }

  /** Writes the CA certificate to a file for clients. */
  public void exportCa(Path target) throws IOException {
    writePublic(target, caPem);
  }

  /** The server's certificate chain and key, for a Vert.x {@code NetServer}. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(certificateChainPem))
        .addKeyValue(Buffer.buffer(privateKeyPem));
  }

  /**
   * Builds a TLS server context from this material once and runs a handshake in memory, so the TLS
   * classes (Netty loads the BouncyCastle provider, which precomputes its curves for seconds) are
   * ready before the first client. Call it off the event loop, before listening.
   */
  public void warmUp() throws IOException {
    try {
      List<X509Certificate> chain = Pem.readCertificates(certificateChainPem);
      PrivateKey key =
          Pem.readPrivateKey(privateKeyPem, chain.get(0).getPublicKey().getAlgorithm());
      SslContext server =
          SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
              .sslProvider(SslProvider.JDK)
              .build();
      SslContext client =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .trustManager(chain.get(chain.size() - 1))
              .build();
      InMemoryHandshake.run(
          client.newEngine(ByteBufAllocator.DEFAULT, "localhost", 0),
          server.newEngine(ByteBufAllocator.DEFAULT));
    } catch (GeneralSecurityException e) {
      throw new IOException("The agent's TLS material cannot serve TLS: " + e.getMessage(), e);
    }
  }

  /** The host name of this machine, for the server certificate, or nothing when unknown. */
  public static List<String> localHostNames() {
    try {
      return List.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      return List.of();
    }
  }

  private static LocalCertificateAuthority loadOrCreateCa(Path dir, KeySeal seal)
      throws IOException, GeneralSecurityException {
    Path certFile = dir.resolve("ca.pem");
    Path keyFile = dir.resolve("ca.key");
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      X509Certificate cert = Pem.readCertificates(Files.readString(certFile)).get(0);
      PrivateKey key = Pem.readPrivateKey(readPrivate(keyFile, "tls-ca", seal), "EC");
      return new LocalCertificateAuthority(cert, key);
    }
    LocalCertificateAuthority ca = LocalCertificateAuthority.create("Ward agent local CA");
    seal.write(keyFile, "tls-ca", ascii(Pem.privateKey(ca.key())));
    writePublic(certFile, Pem.certificate(ca.certificate()));
    return ca;
  }

  private static boolean needsNewServerCertificate(String pem, Set<String> names)
      throws GeneralSecurityException {
    X509Certificate cert = Pem.readCertificates(pem).get(0);
    if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return true;
    }
    Set<String> present = new LinkedHashSet<>();
    if (cert.getSubjectAlternativeNames() != null) {
      for (List<?> san : cert.getSubjectAlternativeNames()) {
        present.add(String.valueOf(san.get(1)));
      }
    }
    return !present.containsAll(names);
  }

  /** A sealed private key file's PEM; a plaintext one (older agents) is sealed in place. */
  private static String readPrivate(Path file, String purpose, KeySeal seal) throws IOException {
    if (KeySeal.isSealed(file)) {
      return new String(seal.read(file, purpose), StandardCharsets.US_ASCII);
    }
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    seal.write(file, purpose, ascii(pem));
    return pem;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void writePublic(Path file, String pem) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
