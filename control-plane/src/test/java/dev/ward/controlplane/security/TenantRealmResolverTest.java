package dev.ward.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.controlplane.identity.realm.TenantRealms;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantRealmResolverTest {

  private final TenantRealmResolver resolver =
      new TenantRealmResolver(
          new TenantRealms(Optional.of("http://kc.test:8081/"), "admin", Optional.of("pw")));

  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return "Bearer "
        + b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".sig";
  }

  @Test
  void aTenantRealmIssuerChoosesThatRealmAsVerifier() {
    var config = resolver.configFor(jwt("{\"iss\":\"http://kc.test:8081/realms/ward-acme\"}"));
    assertThat(config.tenantId()).contains("realm:acme");
    assertThat(config.authServerUrl()).contains("http://kc.test:8081/realms/ward-acme");
    assertThat(config.token().issuer()).contains("http://kc.test:8081/realms/ward-acme");
  }

  @Test
  void otherIssuersOpaqueTokensAndGarbageChooseNoRealm() {
    assertThat(resolver.configFor(jwt("{\"iss\":\"http://kc.test:8081/realms/master\"}"))).isNull();
    assertThat(resolver.configFor(jwt("{\"iss\":\"http://evil.test/realms/ward-acme\"}"))).isNull();
    assertThat(resolver.configFor(jwt("{\"iss\":\"http://kc.test:8081/realms/ward-a/../x\"}")))
        .isNull();
    assertThat(resolver.configFor(jwt("{\"sub\":\"x\"}"))).isNull();
    assertThat(resolver.configFor("Bearer wapi_abc")).isNull();
    assertThat(resolver.configFor("Bearer not.a.jwt")).isNull();
    assertThat(resolver.configFor("Basic dXNlcjpwdw==")).isNull();
    assertThat(resolver.configFor(null)).isNull();
  }
}
