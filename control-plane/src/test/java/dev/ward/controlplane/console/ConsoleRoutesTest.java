package dev.ward.controlplane.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.ward.controlplane.support.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class ConsoleRoutesTest {

  @Test
  void theConsoleIsServedUnderConsoleWithoutInlineScript() {
    String html =
        given()
            .get("/console/")
            .then()
            .statusCode(200)
            .contentType(containsString("text/html"))
            .header("Cache-Control", "no-cache")
            .body(containsString("<div id=\"app\">"))
            .extract()
            .asString();
    // Every script is a file of the console's own origin: nothing inline for a strict CSP.
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
  }

  @Test
  void aDeepLinkOfTheAppAnswersTheSamePage() {
    String root = given().get("/console/").then().statusCode(200).extract().asString();
    given()
        .get("/console/sessions/9f0c7a52-5b8e-4a43-9d7e-0c9d0b1f2e3a")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("<div id=\"app\">"));
    assertThat(given().get("/console/approvals").asString()).isEqualTo(root);
  }

  @Test
  void theBuiltAssetsAreServedAndUnknownFilesAre404() {
    String html = given().get("/console/").asString();
    Matcher m = Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(html);
    assertThat(m.find()).as("the page names its script").isTrue();
    given()
        .get(m.group(1))
        .then()
        .statusCode(200)
        .contentType(containsString("javascript"))
        .body(containsString("ward"));
    given().get("/console/assets/missing-0000.js").then().statusCode(404);
  }

  @Test
  void theRootAndTheBarePathLeadToTheConsole() {
    RestAssured.given()
        .redirects()
        .follow(false)
        .get("/")
        .then()
        .statusCode(302)
        .header("Location", endsWith("/console/"));
    given().redirects().follow(false).get("/console").then().statusCode(302);
  }

  @Test
  void theApiIsNotTakenOverByTheConsole() {
    given().get("/api/v1/connections").then().statusCode(401);
  }
}
