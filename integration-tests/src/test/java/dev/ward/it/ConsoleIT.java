package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.stack.AgentProcess;
import dev.ward.stack.KeycloakServer;
import dev.ward.stack.Ports;
import dev.ward.stack.PostgresCluster;
import dev.ward.stack.Repository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web console in a real browser against the real stack: Keycloak, the control plane (serving
 * the console, sign-up enabled), PostgreSQL, an S3 bucket for recordings, and an agent started with
 * the token the console showed. web-console/e2e/console.e2e.mjs drives headless chromium through
 * sign-up, sign-in, policy, connection, agent, sessions, replay, verify and audit; when it needs a
 * process (the agent, psql) it asks this test on its stdout and reads the answer on stdin.
 */
@Timeout(600)
class ConsoleIT {

  static final String UPSTREAM_PASSWORD = BuildLogs.watched("upstream-Secret-" + System.nanoTime());
  static final String SECRET_EMAIL = "grace@customers.example";
  static final ObjectMapper JSON = new ObjectMapper();

  static KeycloakServer keycloak;
  static ControlPlaneFixture cp;
  static PostgresCluster upstream;
  static AgentProcess agent;
  static int listenPort;

  @BeforeAll
  static void start() throws Exception {
    Path dir = BuildLogs.folder("console");
    keycloak =
        new KeycloakServer(
                dir.resolve("keycloak"),
                "admin",
                BuildLogs.watched("kc-admin-" + UUID.randomUUID()),
                dir.resolve("keycloak.log"))
            .start();
    Map<String, String> env = new HashMap<>(keycloak.controlPlaneSettings());
    // the console exchanges the authorization code at the realm's token endpoint
    env.put("WARD_CSP_CONNECT_SRC", keycloak.url());
    cp = ControlPlaneFixture.withRecordings("console", env);
    upstream = ControlPlaneFixture.startUpstream(UPSTREAM_PASSWORD, "crm");
    upstream.execute(
        "crm",
        "CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);"
            + " INSERT INTO customers VALUES (1, '"
            + SECRET_EMAIL
            + "'); ALTER TABLE customers OWNER TO app");
    listenPort = Ports.free();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, upstream, cp, keycloak}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void signUpSignInConfigureConnectAndReplayInTheBrowser() throws Exception {
    Path script = Repository.root().resolve("web-console/e2e/console.e2e.mjs");
    // scripts/screenshots.sh sets ward.screenshots: the same run then saves each page as a PNG
    String shots = System.getProperty("ward.screenshots", "");
    Result result = runScript(script, shots.isBlank() ? null : Path.of(shots));
    assertThat(result.status())
        .as("console.e2e.mjs failed:%n%s", String.join("\n", result.output()))
        .isZero();
    assertThat(result.output()).anyMatch(l -> l.contains("[console-e2e] passed"));
    assertThat(result.asked())
        .containsExactly("start-agent", "psql", "psql-update-start", "psql-update-result");
  }

  record Result(int status, List<String> output, List<String> asked) {}

  /** Runs the script with the stack's settings, answering its requests; shared with screenshots. */
  static Result runScript(Path script, Path screenshots) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("node", script.toString())
            .directory(script.getParent().getParent().toFile());
    Map<String, String> env = pb.environment();
    env.put("WARD_URL", cp.url());
    env.put("E2E_LISTEN_PORT", Integer.toString(listenPort));
    env.put("E2E_TARGET", upstream.target());
    env.put("E2E_DATABASE", "crm");
    env.put("E2E_DB_USER", "app");
    env.put("E2E_SECRET_REF", "env:CRM_DB_PASSWORD");
    env.put("E2E_QUERY_TABLE", "customers");
    if (screenshots != null) {
      env.put("SCREENSHOTS", screenshots.toAbsolutePath().toString());
    }
    Process node = pb.start();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread errors =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader err =
                      new BufferedReader(
                          new InputStreamReader(node.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = err.readLine()) != null; ) {
                      output.add(line);
                      System.out.println(line);
                    }
                  } catch (IOException e) {
                    // the script ended
                  }
                });
    List<String> asked = new ArrayList<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        OutputStream answers = node.getOutputStream()) {
      for (String line; (line = out.readLine()) != null; ) {
        if (!line.startsWith("@@ward ")) {
          output.add(line);
          continue;
        }
        JsonNode request = JSON.readTree(line.substring("@@ward ".length()));
        String step = request.path("step").asText();
        asked.add(step);
        // the request carries the agent token or a grant: logged by its step only
        output.add("@@ward " + step);
        ObjectNode answer = JSON.createObjectNode();
        try {
          switch (step) {
            case "start-agent" -> startAgent(request.path("token").asText());
            case "psql" -> answer.put("output", psql(request.path("grant").asText()));
            case "psql-update-start" ->
                heldUpdate = startHeldUpdate(request.path("grant").asText());
            case "psql-update-result" -> answer.put("output", finish(heldUpdate));
            default -> throw new IllegalArgumentException("unknown step " + step);
          }
          answer.put("ok", true);
        } catch (Throwable e) {
          answer.put("ok", false).put("error", String.valueOf(e));
        }
        answers.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        answers.flush();
      }
    }
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    errors.join(Duration.ofSeconds(10));
    return new Result(node.exitValue(), output, asked);
  }

  /** Starts the agent with the token the console's install instructions showed. */
  static void startAgent(String token) throws Exception {
    Map<String, String> env = new HashMap<>(cp.agentRecordingSettings());
    env.put("CRM_DB_PASSWORD", UPSTREAM_PASSWORD);
    if (agent != null) {
      agent.close();
    }
    agent =
        cp.startAgent(
            token,
            "agent-data-" + System.nanoTime(),
            env,
            "agent.log",
            Map.of("customers-db", listenPort));
  }

  /** The psql whose UPDATE the policy holds, started while the browser approves it. */
  static Process heldUpdate;

  /** Starts psql with an UPDATE of a customer through the agent; it waits for the approval. */
  static Process startHeldUpdate(String grant) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "psql",
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "UPDATE customers SET email = 'ada@customers.example' WHERE id = 1",
                "host=127.0.0.1 port=" + listenPort + " dbname=crm user=ada sslmode=require")
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", grant);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    return pb.start();
  }

  /** Waits for a started psql and returns what it printed. */
  static String finish(Process p) throws Exception {
    assertThat(p).as("psql-update-start came first").isNotNull();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("psql finished after the approval").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** psql through the agent with the grant; the recorded session ends when psql exits. */
  static String psql(String grant) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "psql",
                "-X",
                "-A",
                "-t",
                "-c",
                "SELECT id, email FROM customers ORDER BY id",
                "host=127.0.0.1 port=" + listenPort + " dbname=crm user=ada sslmode=require")
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", grant);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).startsWith("1|").doesNotContain(SECRET_EMAIL);
    return out;
  }
}
