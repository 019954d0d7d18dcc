package dev.ward.agent.protocol.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.agent.protocol.http.HttpHarness;
import dev.ward.proto.recording.v1.Exchange;
import dev.ward.proto.recording.v1.RefUpdate;
import dev.ward.stack.GitServer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real git clone, fetch and push through the agent to Git's own http-backend. */
class GitThroughWardTest {

  private static Vertx vertx;
  private static GitServer server;
  private static HttpHarness ward;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    work = Files.createTempDirectory("ward-git-test");
    String injected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("git:" + HttpHarness.UPSTREAM_SECRET).getBytes(StandardCharsets.UTF_8));
    server = new GitServer(work.resolve("server"), 0, injected);
    server.createRepository("demo", "# Demo\n");
    ward =
        HttpHarness.start(
            vertx,
            "git",
            server.url() + "/",
            b -> b.setCredentialStyle("basic").setUsername("git"));
  }

  @AfterAll
  static void stop() throws Exception {
    ward.close();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String remote() {
    return "http://alice:" + ward.grant() + "@127.0.0.1:" + ward.port + "/demo.git";
  }

  @Test
  void cloneFetchAndPushToAFeatureBranchWorkAndThePushIsRecordedWithItsCommit() throws Exception {
    Path clone = work.resolve("clone-ok");
    Run cloned = git(work, "clone", remote(), clone.toString());
    assertThat(cloned.status).as(cloned.output).isZero();
    assertThat(Files.readString(clone.resolve("README.md"))).isEqualTo("# Demo\n");

    git(clone, "checkout", "-q", "-b", "feature/x");
    Files.writeString(clone.resolve("notes.txt"), "through Ward\n");
    git(clone, "add", "notes.txt");
    git(clone, "commit", "-qm", "Add notes");
    String commit = git(clone, "rev-parse", "HEAD").output.strip();
    Run pushed = git(clone, "push", "origin", "feature/x");
    assertThat(pushed.status).as(pushed.output).isZero();
    assertThat(GitServer.git(work.resolve("server/demo.git"), "rev-parse", "feature/x").strip())
        .isEqualTo(commit);

    Run fetched = git(clone, "fetch", "origin");
    assertThat(fetched.status).as(fetched.output).isZero();

    RefUpdate update = pushOf("refs/heads/feature/x").getRefUpdates(0);
    assertThat(update.getNewId()).isEqualTo(commit);
    assertThat(update.getOldId()).matches("0{40}");
  }

  @Test
  void pushToProtectedBranchIsRefusedWithAMessageGitShows() throws Exception {
    Path clone = work.resolve("clone-main");
    assertThat(git(work, "clone", remote(), clone.toString()).status).isZero();
    String before = GitServer.git(work.resolve("server/demo.git"), "rev-parse", "main").strip();
    Files.writeString(clone.resolve("README.md"), "# Changed directly\n");
    git(clone, "commit", "-qam", "Change main");

    Run pushed = git(clone, "push", "origin", "main");

    assertThat(pushed.status).isNotZero();
    assertThat(pushed.output)
        .contains("[remote rejected]")
        .contains("protect-main")
        .contains("remote: Ward: rule protect-main refused this push");
    assertThat(GitServer.git(work.resolve("server/demo.git"), "rev-parse", "main").strip())
        .isEqualTo(before);
    Exchange recorded = pushOf("refs/heads/main");
    assertThat(recorded.getBlocked()).isTrue();
    assertThat(recorded.getRefUpdates(0).getOldId()).isEqualTo(before);
  }

  @Test
  void cloneWithoutGrantAsksForCredentials() throws Exception {
    Run cloned =
        git(
            work,
            "clone",
            "http://127.0.0.1:" + ward.port + "/demo.git",
            work.resolve("clone-anon").toString());

    assertThat(cloned.status).isNotZero();
    assertThat(cloned.output).contains("could not read Username");
  }

  private static Exchange pushOf(String ref) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Exchange e : ward.exchanges()) {
        if (e.getRpcMethod().equals("git-receive-pack")
            && e.getRefUpdatesList().stream().anyMatch(u -> u.getRef().equals(ref))) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no push of " + ref + " recorded: " + ward.exchanges());
  }

  record Run(int status, String output) {}

  private static Run git(Path dir, String... args) throws Exception {
    return git(work, dir, args);
  }

  /** Runs git in {@code dir} with a clean configuration and {@code home} as HOME. */
  static Run git(Path home, Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "user.name=Alice",
                "-c",
                "user.email=alice@acme.test",
                "-c",
                "credential.helper="));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("HOME", home.toString());
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }
}
