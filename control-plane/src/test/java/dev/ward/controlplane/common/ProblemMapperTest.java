package dev.ward.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.oidc.OIDCException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

  @Test
  void anUnreachableIdentityServerIsA503ProblemWithRetryAfterNotA500() {
    Response r =
        new ProblemMapper()
            .unexpected(
                new OIDCException(
                    "OIDC Server is not available",
                    new RuntimeException("OIDC Server is not available")),
                null);
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getMediaType().toString()).isEqualTo(ProblemMapper.PROBLEM_JSON);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("10");
    ProblemBody body = (ProblemBody) r.getEntity();
    assertThat(body.type()).isEqualTo("https://ward.dev/problems/identity-server-unreachable");
    assertThat(body.detail()).contains("identity server").contains("API tokens");
  }

  @Test
  void anOidcFailureWrappedInAnotherExceptionIsStillA503() {
    Response r =
        new ProblemMapper()
            .unexpected(
                new IllegalStateException("wrapped", new OIDCException("not available")), null);
    assertThat(r.getStatus()).isEqualTo(503);
  }

  @Test
  void anyOtherUnexpectedErrorStaysA500WithoutDetailsOfTheCause() {
    Response r = new ProblemMapper().unexpected(new IllegalStateException("secret detail"), null);
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(((ProblemBody) r.getEntity()).detail()).doesNotContain("secret detail");
  }
}
