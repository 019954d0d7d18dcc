package dev.ward.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsTest {

  @TempDir Path dir;

  @Test
  void fileSettingsAreReadAndTheEnvironmentWins() throws Exception {
    Path file = dir.resolve("agent.conf");
    Files.writeString(
        file,
        "control-plane=https://cp.example.com\ntoken=wat_file\nhealth-port=1234\ndata-dir=/var/lib/ward\n");
    AgentSettings s = AgentSettings.load(file, Map.of("WARD_AGENT_HEALTH_PORT", "5678"));
    assertThat(s.grpcTarget()).isEqualTo("cp.example.com:443");
    assertThat(s.usesTls()).isTrue();
    assertThat(s.token()).isEqualTo("wat_file");
    assertThat(s.healthPort()).isEqualTo(5678);
    assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/ward"));
  }

  @Test
  void theTokenCanComeFromAFile() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "wat_from_file\n");
    AgentSettings s =
        AgentSettings.load(
            null,
            Map.of(
                "WARD_AGENT_CONTROL_PLANE",
                "http://127.0.0.1:8080",
                "WARD_AGENT_TOKEN_FILE",
                token.toString()));
    assertThat(s.token()).isEqualTo("wat_from_file");
    assertThat(s.grpcTarget()).isEqualTo("127.0.0.1:8080");
    assertThat(s.usesTls()).isFalse();
  }

  @Test
  void listenHostIsEmptyUnlessSetSoEachConnectionKeepsItsOwn() {
    Map<String, String> env =
        Map.of("WARD_AGENT_CONTROL_PLANE", "http://h:1", "WARD_AGENT_TOKEN", "wat_x");
    assertThat(AgentSettings.load(null, env).listenHost()).isEmpty();
    Map<String, String> bound = new java.util.HashMap<>(env);
    bound.put("WARD_AGENT_LISTEN_HOST", "10.0.0.7");
    assertThat(AgentSettings.load(null, bound).listenHost()).isEqualTo("10.0.0.7");
  }

  @Test
  void eventLoopsDefaultToOnePerCoreAndABadCountIsNamed() {
    Map<String, String> env =
        Map.of("WARD_AGENT_CONTROL_PLANE", "http://h:1", "WARD_AGENT_TOKEN", "wat_x");
    assertThat(AgentSettings.load(null, env).eventLoops())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    Map<String, String> set = new java.util.HashMap<>(env);
    set.put("WARD_AGENT_EVENT_LOOPS", "3");
    assertThat(AgentSettings.load(null, set).eventLoops()).isEqualTo(3);
    for (String bad : new String[] {"0", "-1", "257", "many"}) {
      set.put("WARD_AGENT_EVENT_LOOPS", bad);
      assertThatThrownBy(() -> AgentSettings.load(null, set))
          .isInstanceOf(AgentSettings.InvalidSettingsException.class)
          .hasMessageContaining("event-loops")
          .hasMessageContaining(bad);
    }
  }

  @Test
  void printingSettingsNeverShowsTheToken() {
    AgentSettings s =
        AgentSettings.load(
            null,
            Map.of("WARD_AGENT_CONTROL_PLANE", "http://h:1", "WARD_AGENT_TOKEN", "wat_secret"));
    assertThat(s.toString()).doesNotContain("wat_secret");
  }

  @Test
  void aMissingTokenSaysHowToProvideOne() {
    assertThatThrownBy(
            () -> AgentSettings.load(null, Map.of("WARD_AGENT_CONTROL_PLANE", "http://h:1")))
        .hasMessageContaining("token-file");
  }

  @Test
  void severalControlPlaneUrlsAreTakenInOrderAndTheFirstIsDialledFirst() {
    AgentSettings s =
        AgentSettings.load(
            null,
            Map.of(
                "WARD_AGENT_TOKEN",
                "t",
                "WARD_AGENT_CONTROL_PLANE",
                "https://cp-a.example.com, http://10.0.0.7:8080"));
    assertThat(s.controlPlanes())
        .extracting(java.net.URI::toString)
        .containsExactly("https://cp-a.example.com", "http://10.0.0.7:8080");
    assertThat(s.grpcTarget()).isEqualTo("cp-a.example.com:443");
    assertThat(AgentSettings.grpcTarget(s.controlPlanes().get(1))).isEqualTo("10.0.0.7:8080");
    assertThat(AgentSettings.usesTls(s.controlPlanes().get(1))).isFalse();
    assertThat(s.toString()).contains("https://cp-a.example.com,http://10.0.0.7:8080");
  }

  @Test
  void aMalformedEntryAmongSeveralControlPlanesIsNamed() {
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    null,
                    Map.of(
                        "WARD_AGENT_TOKEN",
                        "t",
                        "WARD_AGENT_CONTROL_PLANE",
                        "https://cp-a.example.com,,https://cp-b.example.com")))
        .hasMessageContaining("control-plane must be an http:// or https:// URL")
        .hasMessageContaining("got: ");
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    null,
                    Map.of(
                        "WARD_AGENT_TOKEN",
                        "t",
                        "WARD_AGENT_CONTROL_PLANE",
                        "https://cp-a.example.com,ftp://cp-b")))
        .hasMessageContaining("got: ftp://cp-b");
  }

  @Test
  void aMissingOrMalformedControlPlaneIsNamed() {
    assertThatThrownBy(() -> AgentSettings.load(null, Map.of("WARD_AGENT_TOKEN", "t")))
        .hasMessageContaining("control-plane");
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    null, Map.of("WARD_AGENT_TOKEN", "t", "WARD_AGENT_CONTROL_PLANE", "ftp://x")))
        .hasMessageContaining("http:// or https://");
  }

  @Test
  void aNonNumericHealthPortIsNamed() {
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    null,
                    Map.of(
                        "WARD_AGENT_TOKEN", "t",
                        "WARD_AGENT_CONTROL_PLANE", "http://h:1",
                        "WARD_AGENT_HEALTH_PORT", "eighty")))
        .hasMessageContaining("health-port");
  }

  @Test
  void theSpoolLimitDefaultsToTenGibibytesAndMustBeAPositiveNumber() {
    Map<String, String> base =
        Map.of("WARD_AGENT_CONTROL_PLANE", "http://127.0.0.1:8080", "WARD_AGENT_TOKEN", "wat_x");
    assertThat(AgentSettings.load(null, base).spoolMaxBytes()).isEqualTo(10L << 30);
    Map<String, String> set = new java.util.HashMap<>(base);
    set.put("WARD_AGENT_RECORDING_SPOOL_MAX_BYTES", "65536");
    assertThat(AgentSettings.load(null, set).spoolMaxBytes()).isEqualTo(65536);
    set.put("WARD_AGENT_RECORDING_SPOOL_MAX_BYTES", "10G");
    assertThatThrownBy(() -> AgentSettings.load(null, set))
        .hasMessageContaining("recording-spool-max-bytes must be a number of bytes");
    set.put("WARD_AGENT_RECORDING_SPOOL_MAX_BYTES", "0");
    assertThatThrownBy(() -> AgentSettings.load(null, set)).hasMessageContaining("positive");
  }

  @Test
  void keysAreSealedUnderTheTokenUnlessTheOperatingSystemProvidesAKeyEncryptionKey()
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("WARD_AGENT_CONTROL_PLANE", "http://127.0.0.1:8080");
    env.put("WARD_AGENT_TOKEN", "wat_token-of-this-agent-000000");
    byte[] sealed = AgentSettings.load(null, env).keySeal().seal("masking", new byte[32]);
    assertThat(AgentSettings.load(null, env).keySeal().open("masking", sealed)).hasSize(32);

    Path kek = Files.writeString(dir.resolve("kek"), "a-credential-systemd-decrypted-for-us");
    env.put("WARD_AGENT_KEY_ENCRYPTION_KEY_FILE", kek.toString());
    AgentSettings withKek = AgentSettings.load(null, env);
    assertThatThrownBy(() -> withKek.keySeal().open("masking", sealed))
        .hasMessageContaining("key-encryption-key-file");
    env.put("WARD_AGENT_KEY_ENCRYPTION_KEY_FILE", dir.resolve("missing").toString());
    assertThatThrownBy(() -> AgentSettings.load(null, env).keySeal())
        .hasMessageContaining("Cannot read key-encryption-key-file");
  }

  @Test
  void thePreviousTokenKeptAtARotationOpensKeysSealedUnderIt() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("WARD_AGENT_CONTROL_PLANE", "http://127.0.0.1:8080");
    env.put("WARD_AGENT_TOKEN", "wat_token-before-rotation-0000");
    byte[] sealed = AgentSettings.load(null, env).keySeal().seal("masking", new byte[32]);

    Path previous =
        Files.writeString(dir.resolve("agent.token.previous"), env.get("WARD_AGENT_TOKEN"));
    env.put("WARD_AGENT_TOKEN", "wat_token-after-rotation-00000");
    assertThatThrownBy(() -> AgentSettings.load(null, env).keySeal().open("masking", sealed))
        .hasMessageContaining("another token");
    env.put("WARD_AGENT_PREVIOUS_TOKEN_FILE", previous.toString());
    Path file = Files.write(dir.resolve("masking.key"), sealed);
    assertThat(AgentSettings.load(null, env).keySeal().read(file, "masking")).hasSize(32);
    Files.delete(previous);
    assertThat(AgentSettings.load(null, env).keySeal().read(file, "masking")).hasSize(32);
  }

  @Test
  void secretsComeFromSystemdCredentialsWhenNoFileIsSet() throws Exception {
    Path credentials = Files.createDirectories(dir.resolve("credentials"));
    Files.writeString(credentials.resolve("token"), "wat_from-a-credential-000000\n");
    Files.writeString(credentials.resolve("previous-token"), "wat_before-rotation-0000000\n");
    Path kek = Files.writeString(credentials.resolve("key-encryption-key"), "k".repeat(32));
    Map<String, String> env = new java.util.HashMap<>();
    env.put("WARD_AGENT_CONTROL_PLANE", "http://127.0.0.1:8080");
    env.put("CREDENTIALS_DIRECTORY", credentials.toString());

    AgentSettings s = AgentSettings.load(null, env);
    assertThat(s.token()).isEqualTo("wat_from-a-credential-000000");
    assertThat(s.previousTokenFile()).isEqualTo(credentials.resolve("previous-token"));
    assertThat(s.keyEncryptionKeyFile()).isEqualTo(kek);
    assertThat(s.keySeal().toString()).contains(kek.toString());

    // A file named in the settings wins over the credential of the same name.
    Path token = Files.writeString(dir.resolve("agent.token"), "wat_from-the-token-file-0000");
    env.put("WARD_AGENT_TOKEN_FILE", token.toString());
    assertThat(AgentSettings.load(null, env).token()).isEqualTo("wat_from-the-token-file-0000");

    // Without the credential (and no token elsewhere) the message says how to pass one.
    env.remove("WARD_AGENT_TOKEN_FILE");
    Files.delete(credentials.resolve("token"));
    assertThatThrownBy(() -> AgentSettings.load(null, env))
        .hasMessageContaining("systemd credential \"token\"");
    env.put("CREDENTIALS_DIRECTORY", dir.resolve("no-such-directory").toString());
    assertThatThrownBy(() -> AgentSettings.load(null, env)).hasMessageContaining("token-file");
  }

  @Test
  void aKeyEncryptionKeyProvidedLaterTakesOverKeysSealedUnderTheToken() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("WARD_AGENT_CONTROL_PLANE", "http://127.0.0.1:8080");
    env.put("WARD_AGENT_TOKEN", "wat_token-of-this-agent-000000");
    Path file = dir.resolve("masking.key");
    AgentSettings.load(null, env).keySeal().write(file, "masking", new byte[32]);

    Path credentials = Files.createDirectories(dir.resolve("credentials"));
    Files.writeString(credentials.resolve("key-encryption-key"), "a-key-systemd-decrypted-for-us");
    env.put("CREDENTIALS_DIRECTORY", credentials.toString());
    assertThat(AgentSettings.load(null, env).keySeal().read(file, "masking")).hasSize(32);

    // Sealed again under the key-encryption key: the token no longer opens it.
    env.remove("CREDENTIALS_DIRECTORY");
    assertThatThrownBy(() -> AgentSettings.load(null, env).keySeal().read(file, "masking"))
        .hasMessageContaining("cannot be opened with the agent token");
  }
}
