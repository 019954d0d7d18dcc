package dev.ward.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.CompiledPolicy;
import dev.ward.policy.TestPolicies;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessRulesTest {
  private static final CompiledPolicy POLICY =
      TestPolicies.compile(
          """
          {"schemaVersion": 1, "access": [
            {"id": "eng-prod-read", "groups": ["engineering"], "connections": ["prod-*"]},
            {"id": "dba-all", "groups": ["dba"], "connections": ["*"], "mode": "read-write"},
            {"id": "eng-staging", "groups": ["engineering"], "connections": ["staging-db"], "mode": "read-write"}
          ]}
          """);

  private final AccessRules access = POLICY.access();

  @Test
  void engineersReadProductionOnly() {
    AccessDecision d = access.decide(Set.of("engineering"), "c-17", "prod-orders");

    assertThat(d.allowed()).isTrue();
    assertThat(d.readOnly()).isTrue();
    assertThat(d.ruleId()).isEqualTo("eng-prod-read");
  }

  @Test
  void readWriteWinsWhenSeveralRulesApply() {
    AccessDecision d = access.decide(Set.of("engineering", "dba"), "c-17", "prod-orders");

    assertThat(d.readOnly()).isFalse();
    assertThat(d.ruleId()).isEqualTo("dba-all");
  }

  @Test
  void connectionsMatchByIdAsWellAsName() {
    assertThat(access.decide(Set.of("engineering"), "staging-db", null).allowed()).isTrue();
  }

  @Test
  void usersOutsideEveryGrantedGroupAreRefusedWithAReason() {
    AccessDecision d = access.decide(Set.of("marketing"), "c-17", "prod-orders");

    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("prod-orders").contains("Ask an administrator");
  }
}
