package dev.ward.agent.config;

import dev.ward.agent.keys.KeySeal;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * How the agent is started: read from a properties file, each key overridable by an environment
 * variable ({@code control-plane} ← {@code WARD_AGENT_CONTROL_PLANE}). Only local settings live
 * here; everything a tenant configures arrives over the channel.
 *
 * <p>A secret read from a file ({@code token-file}, {@code previous-token-file}, {@code
 * key-encryption-key-file}, {@code recording-secret-key-file}) that is not set falls back to the
 * systemd credential of the same name without {@code -file} ({@code $CREDENTIALS_DIRECTORY/token}
 * and so on), so a unit passes secrets with {@code LoadCredential=} and {@code
 * LoadCredentialEncrypted=} rather than in files the agent's user can read or in its environment.
 *
 * @param controlPlanes base URLs of the control plane, e.g. {@code https://ward.example.com}: one,
 *     or several replicas (comma-separated) that the agent tries in turn when one is unreachable
 * @param token the agent token (never logged)
 * @param dataDir where the agent keeps its config cache, keys and recording spool
 * @param healthHost address of the /healthz and /readyz server
 * @param healthPort port of that server; 0 picks a free one
 * @param controlPlaneCaFile PEM bundle to trust for a TLS control plane; empty uses the JDK's
 * @param storage where recordings are uploaded; null keeps them in the local spool only
 * @param tlsHostnames names clients use to reach the agent, put in its TLS certificate
 * @param listenHost the address every connection's listener binds on this agent, overriding the
 *     connection's own; empty keeps the connection's (two agents on one host behind a load balancer
 *     each bind their own address)
 * @param keyEncryptionKeyFile a secret the operating system provides (a systemd credential, a
 *     mounted Kubernetes secret) that seals the agent's private keys on disk; null seals them under
 *     the agent token
 * @param previousTokenFile the agent's token before its last rotation, if the installer kept it:
 *     keys sealed under it are opened once and sealed again under the current one; null when none
 * @param spoolMaxBytes how many bytes of sealed recording may wait in the spool for upload; past
 *     it, new strict sessions are refused and best-effort ones run unrecorded
 * @param eventLoops how many event loop threads relay sessions; by default one per core the JVM
 *     sees, so the loops never outnumber the cores and preempt each other
 */
public record AgentSettings(
    List<URI> controlPlanes,
    String token,
    Path dataDir,
    String healthHost,
    int healthPort,
    Path controlPlaneCaFile,
    RecordingStorage storage,
    List<String> tlsHostnames,
    String listenHost,
    Path keyEncryptionKeyFile,
    Path previousTokenFile,
    long spoolMaxBytes,
    int eventLoops) {

  /** 10 GiB of recordings may wait for storage by default. */
  public static final long DEFAULT_SPOOL_MAX_BYTES = 10L << 30;

  static final int MAX_EVENT_LOOPS = 256;

  /**
   * S3-compatible storage for recordings, in the customer's account.
   *
   * @param endpoint e.g. {@code https://s3.eu-west-1.amazonaws.com}
   * @param region the bucket's region, may be empty
   * @param bucket the bucket
   * @param accessKey access key id
   * @param secretKey its secret (never logged)
   */
  public record RecordingStorage(
      String endpoint, String region, String bucket, String accessKey, String secretKey) {
    @Override
    public String toString() {
      return endpoint + "/" + bucket;
    }
  }

  /** A setting that is missing or wrong; the message says which and how to fix it. */
  public static final class InvalidSettingsException extends RuntimeException {
    public InvalidSettingsException(String message) {
      super(message);
    }
  }

  /** Loads settings from the file (when it exists) and the environment. */
  public static AgentSettings load(Path file, Map<String, String> env) {
    Properties props = new Properties();
    if (file != null && Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(r);
      } catch (IOException e) {
        throw new InvalidSettingsException("Cannot read " + file + ": " + e.getMessage());
      }
    }
    Lookup lookup = new Lookup(props, env);
    String cp =
        lookup.required("control-plane", "the control plane URL, e.g. https://ward.example.com");
    List<URI> controlPlanes = new ArrayList<>();
    for (String entry : cp.split(",")) {
      controlPlanes.add(controlPlaneUrl(entry.strip()));
    }
    String token = lookup.secret("token");
    if (token.isEmpty()) {
      throw new InvalidSettingsException(
          "No agent token: set token-file (or WARD_AGENT_TOKEN_FILE, WARD_AGENT_TOKEN) to the"
              + " token shown when the agent was registered, or pass it as the systemd credential"
              + " \"token\" (LoadCredential=token:/path/to/agent.token).");
    }
    int port;
    String portText = lookup.optional("health-port", "9464");
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new InvalidSettingsException("health-port must be a number, got: " + portText);
    }
    String ca = lookup.optional("control-plane-ca-file", "");
    String kek = lookup.file("key-encryption-key");
    String previousToken = lookup.file("previous-token");
    String spoolMax = lookup.optional("recording-spool-max-bytes", "");
    long spoolMaxBytes;
    try {
      spoolMaxBytes = spoolMax.isEmpty() ? DEFAULT_SPOOL_MAX_BYTES : Long.parseLong(spoolMax);
    } catch (NumberFormatException e) {
      throw new InvalidSettingsException(
          "recording-spool-max-bytes must be a number of bytes, got: " + spoolMax);
    }
    if (spoolMaxBytes <= 0) {
      throw new InvalidSettingsException(
          "recording-spool-max-bytes must be positive, got: " + spoolMax);
    }
    String loopsText = lookup.optional("event-loops", "");
    int eventLoops;
    try {
      eventLoops =
          loopsText.isEmpty()
              ? Runtime.getRuntime().availableProcessors()
              : Integer.parseInt(loopsText);
    } catch (NumberFormatException e) {
      throw new InvalidSettingsException("event-loops must be a number, got: " + loopsText);
    }
    if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
      throw new InvalidSettingsException(
          "event-loops must be between 1 and " + MAX_EVENT_LOOPS + ", got: " + loopsText);
    }
    String hostnames = lookup.optional("tls-hostnames", "");
    return new AgentSettings(
        List.copyOf(controlPlanes),
        token,
        Path.of(lookup.optional("data-dir", "data")).toAbsolutePath(),
        lookup.optional("health-host", "0.0.0.0"),
        port,
        ca.isEmpty() ? null : Path.of(ca),
        storage(lookup),
        hostnames.isEmpty() ? List.of() : List.of(hostnames.split("\\s*,\\s*")),
        lookup.optional("listen-host", ""),
        kek.isEmpty() ? null : Path.of(kek),
        previousToken.isEmpty() ? null : Path.of(previousToken),
        spoolMaxBytes,
        eventLoops);
  }

  /**
   * What seals the agent's private keys in its data directory: the key-encryption key when one is
   * provided, else the token. Under a key-encryption key, files still sealed under the token (an
   * agent that had none before) are opened with it once and sealed again; this gives a holder of
   * the token nothing new, since the token alone lets them register as this agent.
   */
  public KeySeal keySeal() {
    KeySeal tokenSeal = tokenSeal();
    if (keyEncryptionKeyFile == null) {
      return tokenSeal;
    }
    try {
      return KeySeal.fromFile(keyEncryptionKeyFile).withPrevious(tokenSeal);
    } catch (IOException e) {
      throw new InvalidSettingsException(
          "Cannot read key-encryption-key-file " + keyEncryptionKeyFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException(e.getMessage());
    }
  }

  /** Keys sealed under the token, falling back to the token before the last rotation. */
  private KeySeal tokenSeal() {
    KeySeal seal = KeySeal.fromAgentToken(token);
    String previous = previousToken();
    if (previous.isEmpty() || previous.equals(token)) {
      return seal;
    }
    try {
      return seal.withPrevious(KeySeal.fromAgentToken(previous));
    } catch (IllegalArgumentException e) {
      return seal;
    }
  }

  /** The token before the last rotation, or "" when none was kept (a missing file is none). */
  private String previousToken() {
    if (previousTokenFile == null || !Files.isReadable(previousTokenFile)) {
      return "";
    }
    try {
      return Files.readString(previousTokenFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static RecordingStorage storage(Lookup lookup) {
    String endpoint = lookup.optional("recording-endpoint", "");
    if (endpoint.isEmpty()) {
      return null;
    }
    String secret = lookup.secret("recording-secret-key");
    return new RecordingStorage(
        endpoint,
        lookup.optional("recording-region", ""),
        lookup.required("recording-bucket", "the bucket recordings go to"),
        lookup.required("recording-access-key", "the access key id for the recording bucket"),
        secret.isEmpty()
            ? lookup.required("recording-secret-key", "the secret key for the recording bucket")
            : secret);
  }

  private static URI controlPlaneUrl(String entry) {
    URI url;
    try {
      url = URI.create(entry);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException("control-plane is not a URL: " + entry);
    }
    if (url.getHost() == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      throw new InvalidSettingsException(
          "control-plane must be an http:// or https:// URL with a host (several separated by"
              + " commas), got: "
              + entry);
    }
    return url;
  }

  /** The first control-plane URL, the one the agent dials first. */
  public URI controlPlane() {
    return controlPlanes.getFirst();
  }

  /** host:port of the first control plane's gRPC endpoint (it shares the HTTP port). */
  public String grpcTarget() {
    return grpcTarget(controlPlane());
  }

  /** host:port of a control plane's gRPC endpoint. */
  public static String grpcTarget(URI controlPlane) {
    int port = controlPlane.getPort();
    if (port < 0) {
      port = usesTls(controlPlane) ? 443 : 80;
    }
    return controlPlane.getHost() + ":" + port;
  }

  public boolean usesTls() {
    return usesTls(controlPlane());
  }

  public static boolean usesTls(URI controlPlane) {
    return "https".equals(controlPlane.getScheme());
  }

  @Override
  public String toString() {
    // The token is deliberately left out so settings can be logged.
    return "AgentSettings[controlPlane="
        + controlPlanes.stream().map(URI::toString).collect(Collectors.joining(","))
        + ", dataDir="
        + dataDir
        + ", health="
        + healthHost
        + ":"
        + healthPort
        + ", recordings="
        + (storage == null ? "spool only" : storage)
        + "]";
  }

  private record Lookup(Properties props, Map<String, String> env) {
    String optional(String key, String fallback) {
      String envKey = "WARD_AGENT_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
      String fromEnv = env.get(envKey);
      if (fromEnv != null && !fromEnv.isBlank()) {
        return fromEnv.trim();
      }
      String fromFile = props.getProperty(key);
      return fromFile == null || fromFile.isBlank() ? fallback : fromFile.trim();
    }

    /**
     * The path of the file holding the secret {@code key}: the setting {@code key-file}, else the
     * systemd credential {@code key} when the service manager passed one; empty when neither.
     */
    String file(String key) {
      String file = optional(key + "-file", "");
      if (!file.isEmpty()) {
        return file;
      }
      String credentials = env.get("CREDENTIALS_DIRECTORY");
      if (credentials == null || credentials.isBlank()) {
        return "";
      }
      Path credential = Path.of(credentials.trim(), key);
      return Files.isRegularFile(credential) ? credential.toString() : "";
    }

    /**
     * A secret given inline ({@code key}) or, preferably, in a file ({@code key-file} or the
     * systemd credential {@code key}); empty when none is set.
     */
    String secret(String key) {
      String inline = optional(key, "");
      String file = file(key);
      if (!inline.isEmpty() || file.isEmpty()) {
        return inline;
      }
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new InvalidSettingsException(
            "Cannot read " + key + "-file " + file + ": " + e.getMessage());
      }
    }

    String required(String key, String what) {
      String value = optional(key, "");
      if (value.isEmpty()) {
        throw new InvalidSettingsException("Missing setting " + key + ": " + what + ".");
      }
      return value;
    }
  }
}
