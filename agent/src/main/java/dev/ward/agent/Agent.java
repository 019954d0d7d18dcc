package dev.ward.agent;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.channel.ConfigCache;
import dev.ward.agent.channel.ControlPlaneChannel;
import dev.ward.agent.config.AgentSettings;
import dev.ward.agent.config.EnforcedConfig;
import dev.ward.agent.connection.ConnectionListeners;
import dev.ward.agent.health.HealthServer;
import dev.ward.agent.health.ProcessMemory;
import dev.ward.agent.identity.GrantVerifier;
import dev.ward.agent.keys.KeySeal;
import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.policy.MaskingSecret;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.recorder.AgentSigningKey;
import dev.ward.agent.recorder.RecorderSettings;
import dev.ward.agent.recorder.SpoolRecorder;
import dev.ward.agent.recorder.SpoolUploader;
import dev.ward.agent.session.SessionNotices;
import dev.ward.agent.tls.AgentTls;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Hello;
import dev.ward.recording.RecordingSigner;
import dev.ward.recording.store.MinioObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One running Ward agent: the config it enforces, its channel to the control plane, and its health
 * endpoint. Protocol listeners and the recorder attach to the enforced config.
 */
public final class Agent implements AutoCloseable {

  private static final Logger LOG = System.getLogger(Agent.class.getName());
  private static final long NOTICE_FLUSH_MS = 1_000;
  private static final long SPOOL_MEASURE_MS = 1_000;

  private final AgentSettings settings;
  private final Vertx vertx;
  private final EnforcedConfig config;
  private final GrantVerifier grants = new GrantVerifier(Clock.systemUTC());
  private HealthServer health;
  private volatile ControlPlaneChannel channel;
  private SpoolRecorder recorder;
  private SpoolUploader uploader;
  private SessionNotices notices;
  private ConnectionListeners listeners;
  private volatile int healthPort = -1;

  public Agent(AgentSettings settings) {
    this.settings = settings;
    // Netty's native epoll transport where the platform has it (Linux), Java NIO elsewhere
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(settings.eventLoops()));
    this.config = new EnforcedConfig(new ConfigCache(settings.dataDir()));
  }

  public void start() throws Exception {
    Files.createDirectories(settings.dataDir());
    LOG.log(Level.INFO, "Ward agent {0} starting: {1}", version(), settings);
    LOG.log(
        Level.INFO,
        "{0,choice,1#1 event loop|1<{0} event loops} on {1}",
        settings.eventLoops(),
        vertx.isNativeTransportEnabled() ? "Netty's native epoll transport" : "Java NIO");
    KeySeal seal = settings.keySeal();
    RecordingSigner signer = AgentSigningKey.loadOrCreate(settings.dataDir(), seal);
    startRecorder(signer);
    AgentTls tls = AgentTls.loadOrCreate(settings.dataDir(), settings.tlsHostnames(), seal);
    // Held operations wait for approval here; requests queue while the channel is down.
    ApprovalDesk approvals =
        new ApprovalDesk(vertx, message -> channel != null && channel.send(message));
    vertx.setPeriodic(NOTICE_FLUSH_MS, id -> approvals.flush());
    ConnectionPolicies policies =
        new ConnectionPolicies(MaskingSecret.loadOrCreate(settings.dataDir(), seal), approvals);
    // The channel opens later; until then, and whenever it is down, notices wait in the queue.
    notices = new SessionNotices(recorder, message -> channel != null && channel.send(message));
    vertx.setPeriodic(NOTICE_FLUSH_MS, id -> notices.flush());
    listeners =
        new ConnectionListeners(
            (connection, snapshot) ->
                new ListenerContext(
                    vertx,
                    connection,
                    grants,
                    notices,
                    tls,
                    snapshot.getAgentId(),
                    snapshot.getTenantId(),
                    snapshot.getVersion(),
                    policies,
                    ListenerLimits.defaults(),
                    () -> channel != null && channel.connected()),
            connection ->
                settings.listenHost().isEmpty()
                    ? connection
                    : connection.toBuilder().setListenHost(settings.listenHost()).build());
    config.addStage(
        snapshot -> {
          grants.update(snapshot);
          return CompletableFuture.completedFuture(null);
        });
    config.addStage(policies);
    config.addStage(approvals);
    config.addStage(listeners);
    ConfigCache cache = new ConfigCache(settings.dataDir());
    cache
        .load()
        .ifPresent(
            snapshot -> {
              LOG.log(
                  Level.INFO,
                  "Enforcing cached config version {0} until the control plane answers",
                  snapshot.getVersion());
              join(config.restore(snapshot));
            });
    health = new HealthServer(vertx, this::readiness);
    healthPort =
        health
            .start(settings.healthHost(), settings.healthPort())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    LOG.log(
        Level.INFO,
        "Health endpoints on http://{0}:{1}/healthz and /readyz",
        settings.healthHost(),
        String.valueOf(healthPort));
    channel =
        new ControlPlaneChannel(
            settings,
            vertx,
            new ControlPlaneChannel.Receiver() {
              @Override
              public CompletionStage<Void> apply(ConfigSnapshot snapshot) {
                return config.apply(snapshot);
              }

              @Override
              public void onControlMessage(ControlMessage message) {
                if (message.hasApprovalDecision()) {
                  approvals.onDecision(message.getApprovalDecision());
                }
              }
            },
            Hello.newBuilder()
                .setVersion(version())
                .setHostname(hostname())
                .setRecordingPublicKey(signer.publicKeyBase64()),
            config.current().map(ConfigSnapshot::getVersion).orElse(0L));
    channel.start();
  }

  private void startRecorder(RecordingSigner signer) throws IOException {
    Path spool = settings.dataDir().resolve("spool");
    if (settings.storage() != null) {
      AgentSettings.RecordingStorage s = settings.storage();
      MinioObjectStore store =
          new MinioObjectStore(
              s.endpoint(), s.region(), s.bucket(), s.accessKey(), s.secretKey(), true);
      uploader = new SpoolUploader(spool, store);
    } else {
      LOG.log(
          Level.WARNING,
          "No recording storage configured (recording-endpoint): recordings stay in {0}",
          spool);
    }
    SpoolUploader up = uploader;
    recorder =
        new SpoolRecorder(
            RecorderSettings.defaults(spool),
            signer,
            up == null ? () -> {} : up::wake,
            settings.spoolMaxBytes());
    recorder.start();
    // the backlog figure /readyz shows, refreshed off the event loops
    vertx.setPeriodic(
        SPOOL_MEASURE_MS,
        id ->
            vertx.executeBlocking(
                () -> {
                  recorder.measureSpool();
                  return null;
                },
                false));
    if (uploader != null) {
      uploader.start();
    }
  }

  /** The port each connection listens on, by connection name. */
  public java.util.Map<String, Integer> listenerPorts() {
    return listeners == null ? java.util.Map.of() : listeners.ports();
  }

  private HealthServer.Readiness readiness() {
    var current = config.current();
    JsonObject details =
        new JsonObject()
            .put("configVersion", current.map(ConfigSnapshot::getVersion).orElse(0L))
            .put(
                "controlPlane",
                channel != null && channel.connected() ? "connected" : "disconnected")
            .put("listeners", new JsonObject(new java.util.HashMap<>(listenerPorts())))
            .put("openSessions", recorder == null ? 0 : recorder.openSessions())
            .put("spooledBytes", recorder == null ? 0 : recorder.spooledBytes())
            .put(
                "storage", uploader == null ? "none" : uploader.storageFailing() ? "failing" : "ok")
            .put("memory", ProcessMemory.snapshot());
    return new HealthServer.Readiness(current.isPresent(), details);
  }

  /** The port of the health server once started. */
  public int healthPort() {
    return healthPort;
  }

  static String version() {
    try (InputStream in = Agent.class.getResourceAsStream("/ward-agent-version.txt")) {
      return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "dev";
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void join(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Cached config could not be applied: {0}", e.getMessage());
    }
  }

  @Override
  public void close() {
    LOG.log(Level.INFO, "Ward agent stopping");
    // Sessions end first, while the channel is still open, so the control plane's index learns
    // that each one was interrupted by the shutdown rather than showing it open for good.
    if (listeners != null) {
      try {
        listeners.stopAll().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Listeners did not stop within 10 s: {0}", e.toString());
      }
    }
    if (notices != null) {
      notices.flush();
    }
    if (channel != null) {
      channel.close();
    }
    if (recorder != null) {
      recorder.close();
    }
    if (uploader != null) {
      uploader.close();
    }
    if (health != null) {
      health.stop();
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Vert.x did not close cleanly: {0}", e.getMessage());
    }
  }
}
