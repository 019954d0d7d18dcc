package dev.ward.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real Git smart-HTTP server: Git's own {@code git http-backend} run as CGI for each request
 * behind a small JDK HTTP host on 127.0.0.1, serving the bare repositories under one folder. It
 * accepts only requests that carry the expected {@code Authorization} value, so a test sees that
 * the credential was injected. Pushes are enabled.
 */
public final class GitServer implements AutoCloseable {

  private static final String BACKEND = "/usr/lib/git-core/git-http-backend";

  private final Path root;
  private final String authorization;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);

  /**
   * @param root the folder of bare repositories ({@code name.git})
   * @param port where to listen; 0 for any free port
   * @param authorization the {@code Authorization} header value every request must carry; null
   *     accepts anonymous requests
   */
  public GitServer(Path root, int port, String authorization) throws IOException {
    if (!Files.isExecutable(Path.of(BACKEND))) {
      throw new IOException(BACKEND + " is missing; install Debian's git package");
    }
    this.root = root;
    this.authorization = authorization;
    Files.createDirectories(root);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:1234}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Creates a bare repository {@code name.git} whose {@code main} branch has one commit with a
   * README, and returns its path.
   */
  public Path createRepository(String name, String readme) throws IOException {
    Path bare = root.resolve(name + ".git");
    Path work = Files.createTempDirectory("ward-git-seed");
    try {
      git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
      git(root, "init", "--quiet", "--initial-branch=main", work.toString());
      Files.writeString(work.resolve("README.md"), readme);
      git(work, "add", "README.md");
      git(
          work,
          "-c",
          "user.name=Ward Demo",
          "-c",
          "user.email=demo@ward.dev",
          "commit",
          "-qm",
          "Initial commit");
      git(work, "push", "--quiet", bare.toString(), "main");
    } finally {
      Probe.deleteTree(work);
    }
    return bare;
  }

  /** Runs git in a folder and returns what it printed; fails when it exits non-zero. */
  public static String git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (authorization != null
          && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      runBackend(exchange);
    }
  }

  private void runBackend(HttpExchange exchange) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(BACKEND);
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("REMOTE_USER", "ward");
    env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("PATH_INFO", exchange.getRequestURI().getRawPath());
    env.put("QUERY_STRING", nullToEmpty(exchange.getRequestURI().getRawQuery()));
    env.put("SERVER_PROTOCOL", "HTTP/1.1");
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    copyHeader(exchange, "Content-Type", "CONTENT_TYPE", env);
    copyHeader(exchange, "Content-Length", "CONTENT_LENGTH", env);
    copyHeader(exchange, "Content-Encoding", "HTTP_CONTENT_ENCODING", env);
    copyHeader(exchange, "Git-Protocol", "GIT_PROTOCOL", env);
    Process backend = builder.start();
    // The request body goes to the backend's input while its output is read here.
    workers.submit(
        () -> {
          try (InputStream body = exchange.getRequestBody();
              OutputStream in = backend.getOutputStream()) {
            body.transferTo(in);
          } catch (IOException e) {
            backend.destroy();
          }
          return null;
        });
    workers.submit(
        () -> {
          backend.getErrorStream().transferTo(OutputStream.nullOutputStream());
          return null;
        });
    InputStream out = backend.getInputStream();
    Map<String, String> headers = new HashMap<>();
    int status = 200;
    for (String line; !(line = headerLine(out)).isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        headers.put(name, value);
        exchange.getResponseHeaders().add(name, value);
      }
    }
    exchange.sendResponseHeaders(status, 0);
    try (OutputStream body = exchange.getResponseBody()) {
      out.transferTo(body);
    }
    try {
      backend.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void copyHeader(
      HttpExchange exchange, String header, String variable, Map<String, String> env) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
