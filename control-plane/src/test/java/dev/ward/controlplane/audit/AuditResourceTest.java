package dev.ward.controlplane.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import dev.ward.controlplane.security.Roles;
import dev.ward.controlplane.support.Api;
import dev.ward.controlplane.support.TestDatabase;
import dev.ward.controlplane.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@Timeout(60)
class AuditResourceTest {

  @Test
  void theAuditLogFiltersByActionActorTargetAndTime() {
    String adminToken = TestTokens.newTenantAdmin();
    Api admin = new Api(adminToken);
    String start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString();
    admin.post("/api/v1/agents", Map.of("name", "edge")).then().statusCode(201);
    String policy = admin.create("/api/v1/policies", Api.policy("p"));
    admin.create("/api/v1/connections", Api.connection("db", 6000, "policyId", policy));
    String automation = TestTokens.withRoles(adminToken, Roles.ADMIN);
    new Api(automation).create("/api/v1/connections", Api.connection("db2", 6001));

    Api auditor = new Api(TestTokens.withRoles(adminToken, Roles.AUDITOR));
    auditor
        .get("/api/v1/audit?action=connection.create")
        .then()
        .statusCode(200)
        .body("items", hasSize(2))
        .body("items.action", everyItem(equalTo("connection.create")));
    auditor
        .get("/api/v1/audit?actor=api-token:initial-admin&targetType=connection")
        .then()
        .body("items.after.name", equalTo(List.of("db")));
    auditor
        .get("/api/v1/audit?targetType=policy&targetId=" + policy)
        .then()
        .body("items", hasSize(1))
        .body("items[0].after.document.recording.mode", equalTo("strict"));
    auditor
        .get("/api/v1/audit?targetType=agent")
        .then()
        .body("items[0].action", equalTo("agent.register"));
    auditor.get("/api/v1/audit?from=" + start).then().body("total", equalTo(6));
    auditor.get("/api/v1/audit?to=" + start).then().body("total", equalTo(0));
    auditor
        .get("/api/v1/audit?size=2&sort=occurredAt")
        .then()
        .body("items", hasSize(2))
        .body("items[0].action", equalTo("agent.register"))
        .body("total", equalTo(6));
    auditor
        .get("/api/v1/audit?from=yesterday")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("from"));
  }

  @Test
  void membersCannotReadTheAuditLog() {
    String adminToken = TestTokens.newTenantAdmin();
    new Api(TestTokens.withRoles(adminToken, Roles.MEMBER))
        .get("/api/v1/audit")
        .then()
        .statusCode(403);
  }
}
