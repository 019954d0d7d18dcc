package dev.ward.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ApiTokenIdentityProviderTest {

  private static final AuthenticationRequestContext BLOCKING =
      new AuthenticationRequestContext() {
        @Override
        public Uni<SecurityIdentity> runBlocking(Supplier<SecurityIdentity> function) {
          return Uni.createFrom().item(function);
        }
      };

  private static SecurityIdentity authenticate(ApiTokenIdentityProvider provider, String token) {
    return provider
        .authenticate(
            new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), BLOCKING)
        .await()
        .indefinitely();
  }

  /**
   * A realm's JWT is not this provider's to judge: it answers nothing, so the OIDC provider gets
   * the token whichever order Quarkus runs the two in (failing here signed every console user out
   * of the packaged control plane).
   */
  @Test
  void aTokenThatIsNotWardsIsLeftToTheNextProvider() {
    var provider = new ApiTokenIdentityProvider(null, Optional.of("wboot_secret"));
    assertThat(authenticate(provider, "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln")).isNull();
  }

  @Test
  void theBootstrapTokenIsThePlatformAdmin() {
    var provider = new ApiTokenIdentityProvider(null, Optional.of("wboot_secret"));
    assertThat(authenticate(provider, "wboot_secret").getRoles())
        .containsExactly(Roles.PLATFORM_ADMIN);
  }
}
