package dev.ward.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak on 127.0.0.1, from the {@code org.keycloak:keycloak-quarkus-dist} zip on Maven Central.
 * The distribution is unpacked and built ({@code kc.sh build}) once into {@code .ward/components};
 * each server then starts optimized with its own data directory, so several can run side by side
 * and a start takes seconds, not a minute.
 */
public final class KeycloakServer implements AutoCloseable {

  public static final String VERSION = "26.4.7";

  private final Path dataDir;
  private final String adminUser;
  private final String adminPassword;
  private final Path log;
  private int port;
  private ManagedProcess process;

  /**
   * @param dataDir this server's database folder
   * @param adminUser the bootstrap admin of the master realm
   * @param adminPassword its password; passed in the environment, never on a command line
   * @param log where the server's output goes
   */
  public KeycloakServer(Path dataDir, String adminUser, String adminPassword, Path log) {
    this.dataDir = dataDir.toAbsolutePath();
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.log = log;
  }

  /** Serves on {@code port} instead of a free one, so its URL is known before it starts. */
  public KeycloakServer onPort(int port) {
    this.port = port;
    return this;
  }

  /** Starts the server (on a free port the first time) and waits until it serves realms. */
  public KeycloakServer start() throws IOException {
    Path home = distribution();
    Files.createDirectories(dataDir);
    if (port == 0) {
      port = Ports.free();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/kc.sh").toString());
    cmd.add("start");
    cmd.add("--optimized");
    cmd.add("--http-enabled=true");
    cmd.add("--hostname-strict=false");
    cmd.add("--http-host=127.0.0.1");
    cmd.add("--http-port=" + port);
    cmd.add("--http-management-port=" + Ports.free());
    cmd.add("--db-url=jdbc:h2:file:" + dataDir.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
    process =
        new ManagedProcess(
                "keycloak",
                cmd,
                Map.of(
                    "JAVA_HOME",
                    javaHome(),
                    "KC_BOOTSTRAP_ADMIN_USERNAME",
                    adminUser,
                    "KC_BOOTSTRAP_ADMIN_PASSWORD",
                    adminPassword,
                    "JAVA_OPTS_APPEND",
                    // C1 only: a much cheaper start on a busy machine, ample for a dev server.
                    "-Xms64m -Xmx768m -XX:TieredStopAtLevel=1"),
                log)
            .start();
    // kc.sh starts the server JVM as its child: stop that too, also when this JVM exits.
    ProcessHandle script = ProcessHandle.of(process.pid()).orElseThrow();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopServerJvm(script)));
    process.awaitReady(() -> status("/realms/master") == 200, Duration.ofSeconds(420));
    return this;
  }

  /** The settings with which a control plane administers realms on this server. */
  public Map<String, String> controlPlaneSettings() {
    return Map.of(
        "WARD_KEYCLOAK_URL", url(),
        "WARD_KEYCLOAK_ADMIN_USER", adminUser(),
        "WARD_KEYCLOAK_ADMIN_PASSWORD", adminPassword());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The issuer URL of a realm. */
  public String issuer(String realm) {
    return url() + "/realms/" + realm;
  }

  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public void stop() {
    if (process != null) {
      ProcessHandle script = ProcessHandle.of(process.pid()).orElse(null);
      if (script != null) {
        stopServerJvm(script);
      }
      process.stop(Duration.ofSeconds(20));
    }
  }

  /** Stops the processes kc.sh started (the server JVM), waiting up to 20 s before killing. */
  private static void stopServerJvm(ProcessHandle script) {
    List<ProcessHandle> children = script.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private int status(String path) {
    return Probe.status(url() + path);
  }

  /**
   * The unpacked and built distribution, made on first use. A marker file written last makes an
   * interrupted unpack start over instead of running a half-built server.
   */
  static synchronized Path distribution() throws IOException {
    Path home = Repository.root().resolve(".ward/components/keycloak-" + VERSION);
    Path ready = home.resolve(".ward-built");
    if (Files.exists(ready)) {
      return home;
    }
    Path zip = Repository.artifact("stack/target/components/keycloak.zip");
    Path staging = home.resolveSibling(home.getFileName() + ".partial");
    Probe.deleteTree(staging);
    unzip(zip, staging);
    Path unpacked;
    try (var children = Files.list(staging)) {
      unpacked =
          children
              .filter(Files::isDirectory)
              .findFirst()
              .orElseThrow(() -> new IOException("empty Keycloak zip"));
    }
    for (String script : List.of("kc.sh", "kcadm.sh", "kcreg.sh")) {
      Path s = unpacked.resolve("bin").resolve(script);
      if (Files.exists(s)) {
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                unpacked.resolve("bin/kc.sh").toString(),
                "build",
                "--db=dev-file",
                "--health-enabled=true")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(staging.resolve("build.log").toFile()));
    builder.environment().put("JAVA_HOME", javaHome());
    Process build = builder.start();
    try {
      if (build.waitFor() != 0) {
        throw new IOException("kc.sh build failed; see " + staging.resolve("build.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building Keycloak", e);
    }
    Probe.deleteTree(home);
    Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
    Probe.deleteTree(staging);
    Files.writeString(ready, VERSION);
    return home;
  }

  private static String javaHome() {
    return Path.of(ManagedProcess.javaBinary()).getParent().getParent().toString();
  }

  private static void unzip(Path zip, Path target) throws IOException {
    Files.createDirectories(target);
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("zip entry escapes the target folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(z, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
