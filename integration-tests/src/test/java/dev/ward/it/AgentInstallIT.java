package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ward.agent.keys.KeySeal;
import dev.ward.stack.ManagedProcess;
import dev.ward.stack.Ports;
import dev.ward.stack.Repository;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing an agent the way a tenant does: the install snippet from the control plane, the
 * install script of the Terraform module agent-linux (rendered with a temporary prefix and without
 * systemd), the distribution downloaded and verified from the running control plane, and the
 * installed agent connecting to it.
 */
@Timeout(300)
class AgentInstallIT {

  static ControlPlaneFixture cp;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    cp = new ControlPlaneFixture("install");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void theInstalledAgentConnectsAndAcknowledgesItsConfig() throws Exception {
    JsonNode install = installSnippet("installed");
    String token = install.get("token").asText();
    String version = install.get("version").asText();
    int healthPort = Ports.free();
    Path prefix = work.resolve("prefix");

    Result run =
        runInstaller(
            renderScript(prefix, version, cp.url() + "/api/v1/distribution", healthPort), token);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("checksum verified").doesNotContain(token);

    Path tokenFile = prefix.resolve("etc/agent.token");
    assertThat(Files.getPosixFilePermissions(tokenFile))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(prefix.resolve("etc/agent.conf"))).doesNotContain(token);

    ManagedProcess agent = startInstalledAgent(prefix, "installed");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode a = cp.agent("installed");
                assertThat(a.get("status").asText()).isEqualTo("online");
                assertThat(a.get("version").asText()).isEqualTo(version);
                assertThat(a.get("configVersionAcked").asLong()).isPositive();
              });
      assertThat(status("http://127.0.0.1:" + healthPort + "/readyz")).isEqualTo(200);
      assertThat(Files.readString(agent.log())).doesNotContain(token);
    } finally {
      agent.stop(Duration.ofSeconds(15));
    }
  }

  @Test
  void theInstalledAgentTakesItsTokenAndKeyEncryptionKeyAsSystemdCredentials() throws Exception {
    JsonNode install = installSnippet("credentials");
    String token = install.get("token").asText();
    Path prefix = work.resolve("prefix");
    Result run =
        runInstaller(
            renderScript(
                prefix,
                install.get("version").asText(),
                cp.url() + "/api/v1/distribution",
                Ports.free()),
            token);
    assertThat(run.exitCode()).as(run.output()).isZero();

    // What systemd does for the unit's LoadCredential= lines: a directory holding a copy of each
    // secret under its credential name, named in $CREDENTIALS_DIRECTORY; agent.conf, as the
    // script writes it for such a unit, names no token file.
    Path credentials = Files.createDirectories(work.resolve("credentials"));
    Files.move(prefix.resolve("etc/agent.token"), credentials.resolve("token"));
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    Files.write(credentials.resolve("key-encryption-key"), kek);
    Path conf = prefix.resolve("etc/agent.conf");
    Files.write(
        conf,
        Files.readAllLines(conf).stream()
            .filter(
                line -> !line.startsWith("token-file=") && !line.startsWith("previous-token-file="))
            .toList());

    ManagedProcess agent =
        startInstalledAgent(
            prefix, "credentials", Map.of("CREDENTIALS_DIRECTORY", credentials.toString()));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode a = cp.agent("credentials");
                assertThat(a.get("status").asText()).isEqualTo("online");
                assertThat(a.get("configVersionAcked").asLong()).isPositive();
              });
      assertThat(Files.readString(agent.log())).doesNotContain(token);
    } finally {
      agent.stop(Duration.ofSeconds(15));
    }

    // The signing key was sealed under the key-encryption key, not the token.
    byte[] sealed = Files.readAllBytes(prefix.resolve("data/recording-signing.key"));
    assertThat(
            KeySeal.fromFile(credentials.resolve("key-encryption-key"))
                .open("recording-signing", sealed))
        .isNotEmpty();
    assertThatThrownBy(() -> KeySeal.fromAgentToken(token).open("recording-signing", sealed))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTarballThatDoesNotMatchItsChecksumIsRefused() throws Exception {
    JsonNode install = installSnippet("tampered");
    String version = install.get("version").asText();
    String tarball = "ward-agent-" + version + ".tar.gz";
    String base = cp.url() + "/api/v1/distribution/agent/" + version + "/";
    byte[] bytes = download(base + tarball);
    byte[] checksum = download(base + tarball + ".sha256");
    bytes[bytes.length / 2] ^= 0x01;

    // A mirror that serves a tarball changed on its way, next to the genuine checksum.
    HttpServer mirror = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, byte[]> files =
        Map.of(
            "/agent/" + version + "/" + tarball, bytes,
            "/agent/" + version + "/" + tarball + ".sha256", checksum);
    mirror.createContext(
        "/",
        exchange -> {
          byte[] body = files.get(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    mirror.start();
    try {
      Path prefix = work.resolve("prefix");
      String mirrorUrl = "http://127.0.0.1:" + mirror.getAddress().getPort();
      Result run =
          runInstaller(
              renderScript(prefix, version, mirrorUrl, Ports.free()),
              install.get("token").asText());
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.output()).contains("checksum mismatch").contains("refusing to install");
      assertThat(prefix.resolve("current")).doesNotExist();
      assertThat(prefix.resolve("etc/agent.token")).doesNotExist();
    } finally {
      mirror.stop(0);
    }
  }

  @Test
  void theControlPlaneServesTheSameScriptTheModuleRenders() throws Exception {
    JsonNode install = installSnippet("same-script");
    String version = install.get("version").asText();
    String served =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(install.get("installScriptUrl").asText()))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, String> values = moduleValues(Path.of("/opt/ward-agent"), version, cp.url());
    values.put("data_dir", "/var/lib/ward-agent");
    values.put("health_port", "9464");
    values.put("manage_system", "true");
    values.put("extra_settings", "");
    assertThat(served).isEqualTo(InstallScriptTemplate.render(Repository.root(), values));
  }

  /** Registers an agent and asks the control plane how to install it. */
  private static JsonNode installSnippet(String name) throws IOException {
    String id =
        cp.api
            .post("/api/v1/agents", Map.of("name", name))
            .expect(201)
            .get("agent")
            .get("id")
            .asText();
    JsonNode install = cp.api.post("/api/v1/agents/" + id + "/install", Map.of()).expect(200);
    assertThat(install.get("snippets").get("shell").asText()).contains("curl -fsSL");
    return install;
  }

  /** The defaults of the agent-linux module's variables, for this control plane. */
  private static Map<String, String> moduleValues(Path prefix, String version, String url) {
    Map<String, String> values = new HashMap<>();
    values.put("control_plane_url", url);
    values.put("distribution_url", url + "/api/v1/distribution");
    values.put("agent_version", version);
    values.put("prefix", prefix.toString());
    values.put("java_package_deb", "openjdk-21-jre-headless");
    values.put("java_package_rpm", "java-21-openjdk-headless");
    return values;
  }

  /** The module's script with this test's values: a temporary prefix, no user, no systemd. */
  private Path renderScript(Path prefix, String version, String distributionUrl, int healthPort)
      throws IOException {
    Map<String, String> values = moduleValues(prefix, version, cp.url());
    values.put("distribution_url", distributionUrl);
    values.put("data_dir", prefix.resolve("data").toString());
    values.put("health_port", String.valueOf(healthPort));
    values.put("manage_system", "false");
    values.put("extra_settings", "health-host=127.0.0.1");
    Path script = work.resolve("install.sh");
    Files.writeString(script, InstallScriptTemplate.render(Repository.root(), values));
    return script;
  }

  record Result(int exitCode, String output) {}

  /** Runs the install script with bash, the token in its environment. */
  private Result runInstaller(Path script, String token) throws Exception {
    Path output = work.resolve("install-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("WARD_AGENT_TOKEN", token);
    builder.environment().put("JAVA_HOME", javaHome().toString());
    Process process = builder.start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("the install script did not finish within 120 s");
      }
    } finally {
      process.destroyForcibly();
    }
    String text = Files.readString(output);
    Files.writeString(
        cp.logs.resolve("installer.log"),
        text,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return new Result(process.exitValue(), text);
  }

  /** Starts bin/ward-agent of the installed distribution, as the systemd unit would. */
  private static ManagedProcess startInstalledAgent(Path prefix, String name) throws IOException {
    return startInstalledAgent(prefix, name, Map.of());
  }

  private static ManagedProcess startInstalledAgent(
      Path prefix, String name, Map<String, String> extraEnv) throws IOException {
    Map<String, String> env = new HashMap<>(extraEnv);
    for (String line : Files.readAllLines(prefix.resolve("etc/ward-agent.env"))) {
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    List<String> command = new ArrayList<>();
    command.add(prefix.resolve("current/bin/ward-agent").toString());
    command.add("--config");
    command.add(prefix.resolve("etc/agent.conf").toString());
    return new ManagedProcess(name, command, env, cp.logs.resolve(name + ".log")).start();
  }

  /** The JDK running this test (21 or newer, as the build requires). */
  private static Path javaHome() {
    return Path.of(ManagedProcess.javaBinary()).toAbsolutePath().getParent().getParent();
  }

  private static byte[] download(String url) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
