package dev.ward.controlplane.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.tenant.service.SignupService;
import org.junit.jupiter.api.Test;

class SlugTest {

  @Test
  void anOrganisationNameBecomesALowerCaseDnsLabel() {
    assertThat(SignupService.slugOf("Acme Rockets, Inc.")).isEqualTo("acme-rockets-inc");
    assertThat(SignupService.slugOf("Société Générale")).isEqualTo("societe-generale");
    assertThat(SignupService.slugOf("42 Labs")).isEqualTo("labs");
    assertThat(SignupService.slugOf("x".repeat(60))).hasSize(40);
  }

  @Test
  void aNameWithoutEnoughLettersAsksForASlug() {
    assertThatThrownBy(() -> SignupService.slugOf("!!"))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.errors().get(0).field()).isEqualTo("slug"));
  }
}
