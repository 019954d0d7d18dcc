package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ward.recording.RecordingFormat;
import dev.ward.recording.RecordingSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {

  @TempDir Path dir;
  private RecordingSigner signer;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void record() throws Exception {
    signer = new RecordingSigner(RecordingSigner.generateKeyPair());
    writeSession(dir, "s-1", 3);
  }

  private void writeSession(Path folder, String sessionId, int segments) throws Exception {
    TestRecordings.write(signer, folder, sessionId, segments);
  }

  private int ward(String... args) {
    CommandLine cl = new CommandLine(new WardCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void anUntouchedRecordingVerifiesAsIntact() {
    int code = ward("verify", dir.toString(), "--key", signer.publicKeyBase64());
    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("INTACT").contains("3 segments, 6 events verified");
  }

  @Test
  void aModifiedByteIsReportedAsTamperingAndExitsTwo() throws Exception {
    Path segment = dir.resolve(RecordingFormat.segmentName(2));
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 80] ^= 0x01;
    Files.write(segment, bytes);
    assertThat(ward("verify", dir.toString(), "--key", signer.publicKeyBase64())).isEqualTo(2);
    assertThat(out.toString()).startsWith("TAMPERED");
  }

  @Test
  void aMissingManifestIsATailMissingAndExitsOne() throws Exception {
    Files.delete(dir.resolve(RecordingFormat.MANIFEST_NAME));
    assertThat(ward("verify", dir.toString(), "--key", signer.publicKeyBase64())).isEqualTo(1);
    assertThat(out.toString()).startsWith("TAIL MISSING");
  }

  @Test
  void aRecordingSignedByAnotherKeyIsNotTrusted() {
    String other = new RecordingSigner(RecordingSigner.generateKeyPair()).publicKeyBase64();
    assertThat(ward("verify", dir.toString(), "--key", other)).isEqualTo(2);
    assertThat(out.toString()).contains("unknown key");
  }

  @Test
  void keysCanComeFromAFile() throws Exception {
    Path keys = dir.getParent().resolve("keys-" + System.nanoTime());
    Files.writeString(keys, "# agent edge-1\n" + signer.publicKeyBase64() + "\n");
    assertThat(ward("verify", dir.toString(), "--keys-file", keys.toString())).isZero();
  }

  @Test
  void withoutAKeyItSaysWhereToFindOne() {
    assertThat(ward("verify", dir.toString())).isEqualTo(64);
    assertThat(err.toString()).contains("--key");
  }

  @Test
  void aMalformedKeyIsAUsageErrorNotACrash() {
    assertThat(ward("verify", dir.toString(), "--key", "not-base64!")).isEqualTo(64);
    assertThat(err.toString()).contains("ward verify:").doesNotContain("Exception");
  }

  /** Serves {@code zip} as the download of session s-1, the way the control plane does. */
  private HttpServer controlPlane(byte[] zip) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/sessions/",
        exchange -> {
          boolean authorized =
              "Bearer t0k".equals(exchange.getRequestHeaders().getFirst("authorization"));
          boolean known =
              exchange.getRequestURI().getPath().equals("/api/v1/sessions/s-1/download");
          byte[] body =
              known && authorized
                  ? zip
                  : "{\"status\":404,\"detail\":\"Session s-2 does not exist.\"}"
                      .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(known && authorized ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  private byte[] bundle(boolean withEscape) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          zip.putNextEntry(new ZipEntry("s-1/" + f.getFileName()));
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        }
      }
      zip.putNextEntry(new ZipEntry("s-1/agent-keys.txt"));
      zip.write(("# keys\n" + signer.publicKeyBase64() + "\n").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      if (withEscape) {
        zip.putNextEntry(new ZipEntry("../../escaped.sh"));
        zip.write("echo owned".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private int wardAgainst(HttpServer server, String... args) {
    CommandLine cl = new CommandLine(new WardCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    VerifyCommand verify = (VerifyCommand) cl.getSubcommands().get("verify").getCommand();
    verify.environment =
        Map.of(
            "WARD_API_URL",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1",
            "WARD_API_TOKEN",
            "t0k");
    return cl.execute(args);
  }

  @Test
  void verifySessionFetchesTheRecordingFromTheControlPlaneAndChecksIt() throws Exception {
    HttpServer server = controlPlane(bundle(false));
    try {
      Path saved = dir.resolveSibling("saved-" + System.nanoTime());
      int code = wardAgainst(server, "verify", "--session", "s-1", "--save", saved.toString());
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("INTACT").contains("3 segments, 6 events verified");
      assertThat(saved.resolve("manifest.wman")).exists();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void verifySessionChecksAgainstTheCallersOwnKeyWhenGiven() throws Exception {
    HttpServer server = controlPlane(bundle(false));
    try {
      String other = new RecordingSigner(RecordingSigner.generateKeyPair()).publicKeyBase64();
      assertThat(wardAgainst(server, "verify", "--session", "s-1", "--key", other)).isEqualTo(2);
      assertThat(out.toString()).contains("unknown key");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void verifySessionWritesNothingOutsideItsFolderFromAHostileArchive() throws Exception {
    HttpServer server = controlPlane(bundle(true));
    try {
      Path saved = dir.resolveSibling("nested-" + System.nanoTime()).resolve("a").resolve("b");
      assertThat(wardAgainst(server, "verify", "--session", "s-1", "--save", saved.toString()))
          .isZero();
      try (var files = Files.list(saved)) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .doesNotContain("escaped.sh");
      }
      assertThat(saved.getParent().getParent().resolve("escaped.sh")).doesNotExist();
      assertThat(saved.getParent().resolve("escaped.sh")).doesNotExist();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void verifyOfAnUnknownSessionSaysSoAndExitsThree() throws Exception {
    HttpServer server = controlPlane(bundle(false));
    try {
      assertThat(wardAgainst(server, "verify", "--session", "s-2")).isEqualTo(3);
      assertThat(err.toString()).contains("Session s-2 does not exist.");
    } finally {
      server.stop(0);
    }
  }
}
