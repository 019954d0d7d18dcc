package dev.ward.agent.protocol.http;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.identity.DevGrantSigner;
import dev.ward.agent.identity.GrantVerifier;
import dev.ward.agent.policy.ConnectionPolicies;
import dev.ward.agent.protocol.InMemoryRecorder;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ListenerLimits;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import dev.ward.proto.channel.v1.Policy;
import dev.ward.proto.recording.v1.Exchange;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A Ward listener of some HTTP-carried kind in front of a test upstream, with grants and a policy.
 */
public final class HttpHarness implements AutoCloseable {

  public static final String CONNECTION_ID = "conn-api";
  public static final String TENANT = "tenant-acme";
  public static final String UPSTREAM_SECRET = "upstream-s3cret-value";

  /** A policy that masks every secret family and guards an admin API. */
  public static final String POLICY =
      """
      {
        "schemaVersion": 1,
        "masking": {"secrets": {"enabled": true, "families": ["*"], "strategy": "redact"}},
        "guardrails": {
          "http": [
            {"id": "no-admin-deletes", "methods": ["DELETE"], "paths": ["/admin/**"],
             "action": "deny", "reason": "Deleting through the admin API is not allowed."},
            {"id": "admin-writes", "methods": ["POST"], "paths": ["/admin/**"],
             "action": "hold", "approval": "sre", "reason": "Admin changes need an SRE."}
          ],
          "mcp": [
            {"id": "no-shell", "tools": ["shell*"], "action": "deny",
             "reason": "Shell tools are not allowed."}
          ],
          "git": [
            {"id": "protect-main", "refs": ["refs/heads/main"], "action": "deny",
             "reason": "main changes only through reviewed merges."}
          ]
        },
        "access": [{"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
        "approvals": [{"id": "sre", "approverGroups": ["sre"]}]
      }
      """;

  public final Vertx vertx;
  public final DevGrantSigner signer = new DevGrantSigner("k1", "https://ward.test/acme", TENANT);
  public final InMemoryRecorder recorder = new InMemoryRecorder();
  public final ProtocolListener listener;
  public final int port;

  /** Whether the listener sees its control plane as reachable; tests take it away. */
  public final java.util.concurrent.atomic.AtomicBoolean controlPlaneReachable =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  public final Path dir;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private HttpHarness(
      Vertx vertx,
      String kind,
      String target,
      UnaryOperator<Connection.Builder> more,
      String policy,
      ApprovalDesk desk)
      throws Exception {
    this.vertx = vertx;
    dir = Files.createTempDirectory("ward-http-test");
    Path secret = dir.resolve("upstream.secret");
    Files.writeString(secret, UPSTREAM_SECRET + "\n", StandardCharsets.UTF_8);
    Connection c =
        more.apply(
                Connection.newBuilder()
                    .setId(CONNECTION_ID)
                    .setName("internal-api")
                    .setKind(kind)
                    .setListenHost("127.0.0.1")
                    .setListenPort(0)
                    .setTarget(target)
                    .setSecretRef("file:" + secret)
                    .setCredentialStyle("bearer")
                    .setPolicyId("p1")
                    .setAllowPlaintextGrant(true)
                    .setRecordingMode("best-effort"))
            .build();
    ConfigSnapshot snapshot =
        ConfigSnapshot.newBuilder()
            .setTenantId(TENANT)
            .addGrantKeys(signer.grantKey())
            .addPolicies(Policy.newBuilder().setId("p1").setName("test").setDocumentJson(policy))
            .addConnections(c)
            .build();
    ConnectionPolicies policies =
        desk == null
            ? new ConnectionPolicies(new byte[32])
            : new ConnectionPolicies(new byte[32], desk);
    policies.apply(snapshot).toCompletableFuture().get(5, TimeUnit.SECONDS);
    if (desk != null) {
      desk.apply(snapshot).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    ListenerContext context =
        new ListenerContext(
            vertx,
            c,
            GrantVerifier.of(snapshot),
            recorder,
            null,
            "agent-1",
            TENANT,
            7,
            policies,
            ListenerLimits.defaults(),
            controlPlaneReachable::get);
    listener = ProtocolListenerFactory.forKind(kind).orElseThrow().create(context);
    port = listener.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public static HttpHarness start(Vertx vertx, String kind, String target) throws Exception {
    return new HttpHarness(vertx, kind, target, b -> b, POLICY, null);
  }

  public static HttpHarness start(
      Vertx vertx, String kind, String target, UnaryOperator<Connection.Builder> more)
      throws Exception {
    return new HttpHarness(vertx, kind, target, more, POLICY, null);
  }

  /** A listener under another policy than {@link #POLICY}. */
  public static HttpHarness start(
      Vertx vertx,
      String kind,
      String target,
      UnaryOperator<Connection.Builder> more,
      String policy)
      throws Exception {
    return new HttpHarness(vertx, kind, target, more, policy, null);
  }

  /** A listener whose holds go to {@code desk}, as an agent's go to its control plane. */
  public static HttpHarness startWithApprovals(
      Vertx vertx,
      String kind,
      String target,
      UnaryOperator<Connection.Builder> more,
      String policy,
      ApprovalDesk desk)
      throws Exception {
    return new HttpHarness(vertx, kind, target, more, policy, desk);
  }

  /** A fresh grant for alice acting through claude-code. */
  public String grant() {
    return signer
        .grant(CONNECTION_ID, "alice")
        .email("alice@acme.test")
        .group("engineering")
        .actor("claude-code")
        .workSession("run-42")
        .sign();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path)))
        .header("Authorization", "Bearer " + grant());
  }

  public HttpClient client() {
    return client;
  }

  /** Every exchange recorded so far, in all sessions. */
  public List<Exchange> exchanges() {
    List<Exchange> out = new ArrayList<>();
    for (InMemoryRecorder.Session s : recorder.sessions()) {
      s.events()
          .forEach(
              e -> {
                if (e.hasExchange()) {
                  out.add(e.getExchange());
                }
              });
    }
    return out;
  }

  /** Waits until an exchange for the path is recorded (recording happens as the response ends). */
  public Exchange awaitExchange(String pathPrefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Exchange e : exchanges()) {
        if (e.getPath().startsWith(pathPrefix)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no exchange recorded for " + pathPrefix + ": " + exchanges());
  }

  /** Waits until some recorded event matches. */
  public dev.ward.proto.recording.v1.Event awaitEvent(
      java.util.function.Predicate<dev.ward.proto.recording.v1.Event> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (InMemoryRecorder.Session s : recorder.sessions()) {
        for (var e : s.events()) {
          if (match.test(e)) {
            return e;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such event recorded");
  }

  @Override
  public void close() throws Exception {
    listener.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
