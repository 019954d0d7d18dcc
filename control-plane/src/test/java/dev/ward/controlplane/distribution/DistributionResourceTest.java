package dev.ward.controlplane.distribution;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.ward.controlplane.support.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DistributionFolder.class, restrictToAnnotatedClass = true)
@Timeout(60)
class DistributionResourceTest {

  private static final String BASE = "/api/v1/distribution/agent/";

  @Test
  void theTarballAndItsChecksumAreServedWithoutAuthentication() {
    String name = "ward-agent-" + DistributionFolder.NEW + ".tar.gz";
    byte[] body =
        given()
            .get(BASE + DistributionFolder.NEW + "/" + name)
            .then()
            .statusCode(200)
            .contentType("application/gzip")
            .extract()
            .asByteArray();
    assertThat(body).isEqualTo(DistributionFolder.tarball(DistributionFolder.NEW));

    given()
        .get(BASE + DistributionFolder.NEW + "/" + name + ".sha256")
        .then()
        .statusCode(200)
        .body(startsWith(DistributionFolder.sha256(body) + "  " + name));
  }

  @Test
  void theVersionsAreListedNewestLast() {
    given()
        .get("/api/v1/distribution/agent")
        .then()
        .statusCode(200)
        .body(
            "versions", equalTo(java.util.List.of(DistributionFolder.OLD, DistributionFolder.NEW)))
        .body("newest", equalTo(DistributionFolder.NEW));
  }

  @Test
  void pathTraversalAndMalformedVersionsAreRefusedAsProblems() {
    for (String path :
        new String[] {
          BASE + "..%2F..%2Fetc/passwd",
          BASE + "1.2.0/..%2F..%2Fetc%2Fpasswd",
          BASE + "1.2.0%2F..%2F1.10.0/ward-agent-1.10.0.tar.gz",
          BASE + "x".repeat(300) + "/ward-agent-x.tar.gz",
        }) {
      int status =
          given()
              .urlEncodingEnabled(false)
              .get(path)
              .then()
              .contentType("application/problem+json")
              .extract()
              .statusCode();
      assertThat(status).as(path).isIn(400, 404);
    }
    given()
        .get(BASE + "1.2.0/ward-agent-1.10.0.tar.gz")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void aVersionThatIsNotServedIsA404ThatNamesTheAvailableOnes() {
    given()
        .get(BASE + "9.9.9/ward-agent-9.9.9.tar.gz")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("available: 1.2.0, 1.10.0"));
  }

  @Test
  void theInstallScriptIsRenderedForThisControlPlaneAndTheNewestVersion() {
    String script =
        given()
            .get("/api/v1/distribution/install.sh")
            .then()
            .statusCode(200)
            .contentType(containsString("text/x-shellscript"))
            .extract()
            .asString();
    assertThat(script)
        .startsWith("#!/usr/bin/env bash")
        .contains("AGENT_VERSION='" + DistributionFolder.NEW + "'")
        .containsPattern("CONTROL_PLANE_URL='http://(localhost|127\\.0\\.0\\.1):[0-9]+'")
        .containsPattern(
            "DISTRIBUTION_URL='http://(localhost|127\\.0\\.0\\.1):[0-9]+/api/v1/distribution'")
        .doesNotContainPattern("wat_[A-Za-z0-9_-]{20}");

    assertThat(
            given()
                .queryParam("version", DistributionFolder.OLD)
                .get("/api/v1/distribution/install.sh")
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .contains("AGENT_VERSION='" + DistributionFolder.OLD + "'");
    given()
        .queryParam("version", "1.0.0'; reboot; '")
        .get("/api/v1/distribution/install.sh")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }
}
