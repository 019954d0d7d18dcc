package dev.ward.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A TCP load balancer in front of several agents: Debian's HAProxy ({@code haproxy}, installed by
 * scripts/install-prerequisites.sh) in TCP mode, round robin, with a TCP health check every 500 ms
 * and connection retries redispatched to another backend, as an operator would run it in front of
 * two agents serving one connection. The same serves control-plane replicas: TCP mode passes the
 * agent channel's gRPC over h2c untouched.
 */
public final class Haproxy implements AutoCloseable {

  private final int port;
  private final ManagedProcess process;

  private Haproxy(int port, ManagedProcess process) {
    this.port = port;
    this.process = process;
  }

  /**
   * Starts HAProxy on 127.0.0.1 and a free port, balancing over {@code backends} ("host:port").
   *
   * @param workDir where its configuration and log go
   */
  public static Haproxy start(List<String> backends, Path workDir) throws IOException {
    Files.createDirectories(workDir);
    int port = Ports.free();
    StringBuilder conf =
        new StringBuilder(
            String.join(
                "\n",
                "global",
                "  maxconn 2000",
                "defaults",
                "  mode tcp",
                "  timeout connect 2s",
                "  timeout client 120s",
                "  timeout server 120s",
                "  retries 3",
                "  option redispatch",
                "frontend ward",
                "  bind 127.0.0.1:" + port,
                "  default_backend agents",
                "backend agents",
                "  balance roundrobin",
                ""));
    for (int i = 0; i < backends.size(); i++) {
      conf.append("  server agent")
          .append(i)
          .append(' ')
          .append(backends.get(i))
          .append(" check inter 500ms fall 1 rise 2\n");
    }
    Path file = workDir.resolve("haproxy.cfg");
    Files.writeString(file, conf);
    ManagedProcess process =
        new ManagedProcess(
                "haproxy",
                List.of(binary(), "-db", "-f", file.toString()),
                Map.of(),
                workDir.resolve("haproxy.log"))
            .start();
    process.awaitReady(() -> accepts(port), Duration.ofSeconds(30));
    return new Haproxy(port, process);
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "haproxy is not installed; run scripts/install-prerequisites.sh (Debian package haproxy)");
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(5));
  }
}
