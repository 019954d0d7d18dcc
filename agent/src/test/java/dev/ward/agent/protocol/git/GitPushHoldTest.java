package dev.ward.agent.protocol.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.approval.ApprovalDesk;
import dev.ward.agent.protocol.git.GitThroughWardTest.Run;
import dev.ward.agent.protocol.http.HttpHarness;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ApprovalDecision;
import dev.ward.proto.channel.v1.ApprovalRequest;
import dev.ward.stack.GitServer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A push to a protected branch held for approval with real git and git http-backend: the
 * receive-pack waits in the agent (the branch does not move), then goes through once approved, or
 * git shows the denial with who denied and why.
 */
@Timeout(180)
class GitPushHoldTest {

  static final String POLICY =
      """
      {"schemaVersion": 1,
       "access": [{"id": "everyone", "groups": ["*"], "connections": ["*"], "mode": "read-write"}],
       "guardrails": {"git": [
         {"id": "release-needs-sre", "refs": ["refs/heads/release/**"], "action": "hold",
          "approval": "sre", "reason": "Release branches need an SRE."}]},
       "approvals": [{"id": "sre", "approverGroups": ["sre"], "timeout": "PT120S"}]}
      """;

  static final List<AgentMessage> sent = new CopyOnWriteArrayList<>();
  static final ExecutorService GIT = Executors.newVirtualThreadPerTaskExecutor();
  static Vertx vertx;
  static ApprovalDesk desk;
  static GitServer server;
  static HttpHarness ward;
  static Path work;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    work = Files.createTempDirectory("ward-git-hold");
    String injected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("git:" + HttpHarness.UPSTREAM_SECRET).getBytes(StandardCharsets.UTF_8));
    server = new GitServer(work.resolve("server"), 0, injected);
    server.createRepository("demo", "# Demo\n");
    desk = new ApprovalDesk(vertx, sent::add);
    ward =
        HttpHarness.startWithApprovals(
            vertx,
            "git",
            server.url() + "/",
            b -> b.setCredentialStyle("basic").setUsername("git"),
            POLICY,
            desk);
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Run git(Path dir, String... args) throws Exception {
    return GitThroughWardTest.git(work, dir, args);
  }

  static String remote() {
    return "http://alice:" + ward.grant() + "@127.0.0.1:" + ward.port + "/demo.git";
  }

  static String serverRef(String ref) throws Exception {
    return GitServer.git(
            work.resolve("server/demo.git"), "for-each-ref", "--format=%(objectname)", ref)
        .strip();
  }

  static ApprovalRequest awaitRequest(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (AgentMessage m : sent) {
        if (m.hasApprovalRequest() && m.getApprovalRequest().getOperation().contains(text)) {
          return m.getApprovalRequest();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no approval request for " + text);
  }

  static ApprovalDecision.Builder decision(ApprovalRequest request, String outcome) {
    return ApprovalDecision.newBuilder()
        .setRequestId(request.getRequestId())
        .setOperationHash(request.getOperationHash())
        .setOutcome(outcome);
  }

  /** A clone with one new commit on {@code branch}; returns the commit id. */
  static String commitOn(Path clone, String branch) throws Exception {
    assertThat(git(work, "clone", remote(), clone.toString()).status()).isZero();
    git(clone, "checkout", "-q", "-b", branch);
    Files.writeString(clone.resolve("CHANGES.md"), "release notes for " + branch + "\n");
    git(clone, "add", "CHANGES.md");
    git(clone, "commit", "-qm", "Release notes");
    return git(clone, "rev-parse", "HEAD").output().strip();
  }

  @Test
  void aHeldPushWaitsAndLandsOnceApproved() throws Exception {
    Path clone = work.resolve("clone-approved");
    String commit = commitOn(clone, "release/1.0");

    CompletableFuture<Run> push =
        CompletableFuture.supplyAsync(
            () -> unchecked(() -> git(clone, "push", "origin", "release/1.0")), GIT);
    ApprovalRequest request = awaitRequest("push refs/heads/release/1.0");
    assertThat(request.getRule()).isEqualTo("release-needs-sre");
    assertThat(request.getOperation()).contains(commit);
    Thread.sleep(500);
    assertThat(push).isNotDone();
    assertThat(serverRef("refs/heads/release/1.0")).as("nothing landed while held").isEmpty();

    desk.onDecision(decision(request, "approved").setDecidedBy("sam").build());

    Run pushed = push.get(60, TimeUnit.SECONDS);
    assertThat(pushed.status()).as(pushed.output()).isZero();
    assertThat(serverRef("refs/heads/release/1.0")).isEqualTo(commit);
  }

  @Test
  void aDeniedPushIsRejectedWithTheDeniersReasonInGitsOutput() throws Exception {
    Path clone = work.resolve("clone-denied");
    commitOn(clone, "release/2.0");

    CompletableFuture<Run> push =
        CompletableFuture.supplyAsync(
            () -> unchecked(() -> git(clone, "push", "origin", "release/2.0")), GIT);
    ApprovalRequest request = awaitRequest("push refs/heads/release/2.0");
    desk.onDecision(
        decision(request, "denied").setDecidedBy("sam").setReason("freeze until Monday").build());

    Run pushed = push.get(60, TimeUnit.SECONDS);
    assertThat(pushed.status()).isNotZero();
    assertThat(pushed.output())
        .contains("[remote rejected]")
        .contains("denied by sam")
        .contains("freeze until Monday");
    assertThat(serverRef("refs/heads/release/2.0")).isEmpty();
  }

  interface Call<T> {
    T call() throws Exception;
  }

  static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
