package dev.ward.controlplane.support;

import dev.ward.stack.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Keycloak (stack/KeycloakServer) for the identity tests, started once per test JVM and
 * stopped when it exits, so several test classes share its ~20 s start.
 */
public class TestKeycloak implements QuarkusTestResourceLifecycleManager {

  public static final String ADMIN_PASSWORD = "kc-admin-" + Long.toHexString(System.nanoTime());

  private static KeycloakServer server;

  /** The running server, started on first use. */
  public static synchronized KeycloakServer server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("ward-test-keycloak");
        server =
            new KeycloakServer(dir.resolve("data"), "admin", ADMIN_PASSWORD, dir.resolve("kc.log"))
                .start();
        KeycloakServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  @Override
  public Map<String, String> start() {
    KeycloakServer kc = server();
    return Map.of(
        "ward.keycloak.url", kc.url(),
        "ward.keycloak.admin-user", kc.adminUser(),
        "ward.keycloak.admin-password", kc.adminPassword(),
        "ward.signup.per-address-per-minute", "30",
        // creating a realm takes seconds, more on a busy machine
        "quarkus.http.test-timeout", "180s");
  }

  @Override
  public void stop() {
    // shared by every class that uses it; stopped at JVM exit
  }
}
