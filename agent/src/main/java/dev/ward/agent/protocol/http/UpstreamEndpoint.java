package dev.ward.agent.protocol.http;

import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Where and how the agent reaches an HTTP-carried connection's upstream: its base URL ({@code
 * target}) and TLS mode.
 *
 * @param host the upstream host
 * @param port the upstream port
 * @param ssl whether the base URL is {@code https}
 * @param basePath the base URL's path without a trailing slash, prefixed to every request path
 * @param tls {@code disable} for http targets; for https {@code verify-full} (certificate and host
 *     name checked against {@code options.upstream_ca_file} or the JDK's CAs) unless the
 *     connection's {@code upstream_tls} is {@code require} (encrypted, certificate not checked)
 * @param caFile PEM file of CAs to trust; empty for the JDK's
 */
public record UpstreamEndpoint(
    String host, int port, boolean ssl, String basePath, String tls, String caFile) {

  /** Parses the connection's target, failing with what is wrong with it. */
  public static UpstreamEndpoint of(Connection connection) {
    URI uri;
    try {
      uri = new URI(connection.getTarget());
    } catch (URISyntaxException e) {
      throw invalid(connection, "target is not a URL");
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw invalid(connection, "target must be an http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(connection, "target must be a base URL with a host and no query");
    }
    boolean ssl = scheme.equals("https");
    // The target's scheme decides whether TLS is used; upstream_tls only chooses how strictly an
    // https upstream is checked (verify-full unless it says require).
    String tls =
        !ssl
            ? "disable"
            : connection.getUpstreamTls().equals("require") ? "require" : "verify-full";
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new UpstreamEndpoint(
        host, port, ssl, path, tls, connection.getOptionsOrDefault("upstream_ca_file", ""));
  }

  private static IllegalArgumentException invalid(Connection connection, String what) {
    return new IllegalArgumentException(
        "connection "
            + connection.getName()
            + ": "
            + what
            + ", got '"
            + connection.getTarget()
            + "'");
  }

  /** The upstream request URI for a client's request URI (path and query). */
  public String uriFor(String clientUri) {
    if (!basePath.isEmpty() && (clientUri.equals("/") || clientUri.startsWith("/?"))) {
      return basePath + clientUri.substring(1); // the base URL itself, e.g. an MCP endpoint
    }
    return basePath + (clientUri.startsWith("/") ? clientUri : "/" + clientUri);
  }

  /** The value of the upstream {@code Host} header. */
  public String authority() {
    boolean defaultPort = ssl ? port == 443 : port == 80;
    String h = host.contains(":") ? "[" + host + "]" : host;
    return defaultPort ? h : h + ":" + port;
  }

  /** The base URL, as recorded in session starts. */
  public String url() {
    return (ssl ? "https://" : "http://") + authority() + basePath;
  }

  /** Options for the HTTP client that reaches this upstream. */
  public HttpClientOptions clientOptions(Duration connectTimeout) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)
            .setKeepAlive(true)
            .setMaxPoolSize(64)
            .setDecompressionSupported(false)
            .setSsl(ssl);
    if (tls.equals("require")) {
      options.setTrustAll(true).setVerifyHost(false);
    } else if (tls.equals("verify-full")) {
      options.setVerifyHost(true);
      if (!caFile.isEmpty()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
      }
    }
    return options;
  }
}
