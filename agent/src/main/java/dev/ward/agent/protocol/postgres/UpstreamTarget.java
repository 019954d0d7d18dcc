package dev.ward.agent.protocol.postgres;

import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;

/**
 * Where and how the agent reaches a connection's upstream PostgreSQL.
 *
 * @param host the upstream host
 * @param port the upstream port
 * @param tls {@code disable}, {@code require} (encrypted, certificate not checked) or {@code
 *     verify-full} (certificate and host name checked against {@code options.upstream_ca_file} or
 *     the JDK's trusted CAs)
 * @param caFile PEM file of CAs to trust for verify-full; empty for the JDK's
 */
record UpstreamTarget(String host, int port, String tls, String caFile) {

  static UpstreamTarget of(Connection connection) {
    String target = connection.getTarget();
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException(
          "connection "
              + connection.getName()
              + ": target must be host:port, got '"
              + target
              + "'");
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "connection " + connection.getName() + ": target port is not a number: " + target);
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String tls = connection.getUpstreamTls().isEmpty() ? "disable" : connection.getUpstreamTls();
    if (!tls.equals("disable") && !tls.equals("require") && !tls.equals("verify-full")) {
      throw new IllegalArgumentException(
          "connection "
              + connection.getName()
              + ": upstream_tls must be disable, require or verify-full, got '"
              + tls
              + "'");
    }
    return new UpstreamTarget(
        host, port, tls, connection.getOptionsOrDefault("upstream_ca_file", ""));
  }

  boolean usesTls() {
    return !tls.equals("disable");
  }

  /** Client options for a NetClient that reaches this upstream. */
  NetClientOptions clientOptions(Duration connectTimeout) {
    NetClientOptions options =
        new NetClientOptions()
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true);
    if (tls.equals("require")) {
      options.setTrustAll(true).setHostnameVerificationAlgorithm("");
    } else if (tls.equals("verify-full")) {
      options.setHostnameVerificationAlgorithm("HTTPS");
      if (!caFile.isEmpty()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
      }
    }
    return options;
  }
}
