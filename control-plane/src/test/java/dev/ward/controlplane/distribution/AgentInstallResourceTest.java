package dev.ward.controlplane.distribution;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import dev.ward.proto.channel.v1.AgentChannelGrpc;
import dev.ward.proto.channel.v1.AgentMessage;
import dev.ward.proto.channel.v1.ControlMessage;
import dev.ward.proto.channel.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DistributionFolder.class, restrictToAnnotatedClass = true)
@Timeout(60)
class AgentInstallResourceTest {

  @TestHTTPResource("/")
  URL base;

  private static String register(String admin, String name) {
    return given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("name", name))
        .post("/api/v1/agents")
        .then()
        .statusCode(201)
        .extract()
        .path("agent.id");
  }

  private static JsonPath install(String admin, String agentId) {
    return given()
        .auth()
        .oauth2(admin)
        .post("/api/v1/agents/" + agentId + "/install")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void theInstallGivesAFreshTokenOnceWithSnippetsForTerraformAndTheShell() {
    String admin = TestTokens.newTenantAdmin();
    String id = register(admin, "edge-vm");
    JsonPath install = install(admin, id);

    String token = install.getString("token");
    assertThat(token).startsWith("wat_").hasSizeGreaterThan(40);
    assertThat(install.getString("version")).isEqualTo(DistributionFolder.NEW);
    assertThat(install.getString("agentName")).isEqualTo("edge-vm");
    assertThat(install.getString("installScriptUrl"))
        .endsWith("/api/v1/distribution/install.sh?version=" + DistributionFolder.NEW)
        .doesNotContain(token);

    String shell = install.getString("snippets.shell");
    assertThat(shell)
        .startsWith("curl -fsSL '")
        .contains("| sudo WARD_AGENT_TOKEN='" + token + "' bash -s");
    // The token travels in the environment, never in the URL that proxies and logs see.
    assertThat(shell.substring(0, shell.indexOf('|'))).doesNotContain(token);

    assertThat(install.getString("snippets.terraformToken"))
        .isEqualTo("export TF_VAR_ward_agent_token='" + token + "'");
    for (String module : new String[] {"terraformLinux", "terraformKubernetes"}) {
      String block = install.getString("snippets." + module);
      assertThat(block)
          .as(module)
          .contains("module \"ward_agent_edge_vm\"")
          .contains("agent_token       = var.ward_agent_token")
          .contains("agent_version     = \"" + DistributionFolder.NEW + "\"")
          .contains("sensitive   = true")
          .doesNotContain(token);
    }
    assertThat(install.getString("snippets.terraformLinux")).contains("/agent-linux\"");
    assertThat(install.getString("snippets.terraformKubernetes")).contains("/agent-kubernetes\"");

    // The rotation is audited, without the token.
    String audit =
        given()
            .auth()
            .oauth2(admin)
            .queryParam("action", "agent.token-rotate")
            .get("/api/v1/audit")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(audit).contains("\"targetId\":\"" + id + "\"").doesNotContain(token);
  }

  @Test
  void installingRotatesTheTokenSoOnlyTheNewOneConnects() throws Exception {
    String admin = TestTokens.newTenantAdmin();
    JsonPath registration =
        given()
            .auth()
            .oauth2(admin)
            .contentType(ContentType.JSON)
            .body(Map.of("name", "rotated"))
            .post("/api/v1/agents")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String registered = registration.getString("token");
    String id = registration.getString("agent.id");
    String fresh = install(admin, id).getString("token");
    assertThat(fresh).isNotEqualTo(registered);

    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    try {
      assertThat(hello(channel, registered)).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(hello(channel, fresh)).isEqualTo(Status.Code.OK);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anotherTenantsAgentIsNotFoundAndItsTokenIsLeftAlone() {
    String owner = TestTokens.newTenantAdmin();
    String stranger = TestTokens.newTenantAdmin();
    String id = register(owner, "private");

    given()
        .auth()
        .oauth2(stranger)
        .post("/api/v1/agents/" + id + "/install")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
    given().post("/api/v1/agents/" + id + "/install").then().statusCode(401);
  }

  @Test
  void aRevokedAgentCannotBeInstalledAgain() {
    String admin = TestTokens.newTenantAdmin();
    String id = register(admin, "gone");
    given().auth().oauth2(admin).post("/api/v1/agents/" + id + "/revoke").then().statusCode(200);
    given()
        .auth()
        .oauth2(admin)
        .post("/api/v1/agents/" + id + "/install")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @Test
  void aVersionThatIsNotServedIsRefusedBeforeAnyTokenChanges() {
    String admin = TestTokens.newTenantAdmin();
    String id = register(admin, "pinned");
    given()
        .auth()
        .oauth2(admin)
        .queryParam("version", "9.9.9")
        .post("/api/v1/agents/" + id + "/install")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    JsonPath pinned =
        given()
            .auth()
            .oauth2(admin)
            .queryParam("version", DistributionFolder.OLD)
            .post("/api/v1/agents/" + id + "/install")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(pinned.getString("version")).isEqualTo(DistributionFolder.OLD);
  }

  /** Opens the agent channel with a token: OK when a snapshot arrives, else how it ended. */
  private static Status.Code hello(ManagedChannel channel, String token) throws Exception {
    CompletableFuture<Status.Code> outcome = new CompletableFuture<>();
    StreamObserver<AgentMessage> out =
        AgentChannelGrpc.newStub(channel)
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ControlMessage m) {
                    if (m.hasSnapshot()) {
                      outcome.complete(Status.Code.OK);
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    outcome.complete(Status.fromThrowable(t).getCode());
                  }

                  @Override
                  public void onCompleted() {
                    outcome.complete(Status.Code.CANCELLED);
                  }
                });
    out.onNext(
        AgentMessage.newBuilder()
            .setHello(Hello.newBuilder().setToken(token).setVersion("1.10.0").setHostname("t"))
            .build());
    try {
      return outcome.get(10, TimeUnit.SECONDS);
    } finally {
      out.onCompleted();
    }
  }
}
