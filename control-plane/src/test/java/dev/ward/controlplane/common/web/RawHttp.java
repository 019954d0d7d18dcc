package dev.ward.controlplane.common.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP/1.1 request from a chosen loopback source address, so each test is its own client as far
 * as per-address limits go.
 */
final class RawHttp {

  record Answer(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  /** A random loopback address other than 127.0.0.1. */
  static InetAddress randomLoopback() throws IOException {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return InetAddress.getByAddress(
        new byte[] {
          127, (byte) r.nextInt(1, 250), (byte) r.nextInt(1, 250), (byte) r.nextInt(2, 250)
        });
  }

  static Answer send(
      InetAddress from, int port, String method, String path, String token, String json)
      throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
      s.setSoTimeout(10_000);
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1:").append(port).append("\r\n");
      req.append("Connection: close\r\n");
      if (token != null) {
        req.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      if (json != null) {
        req.append("Content-Type: application/json\r\n");
      }
      req.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      return read(s.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = raw.indexOf("\r\n\r\n");
    String[] lines = raw.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    String body = raw.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      StringBuilder joined = new StringBuilder();
      int at = 0;
      while (true) {
        int nl = body.indexOf("\r\n", at);
        int size = Integer.parseInt(body.substring(at, nl).trim(), 16);
        if (size == 0) {
          break;
        }
        joined.append(body, nl + 2, nl + 2 + size);
        at = nl + 2 + size + 2;
      }
      body = joined.toString();
    }
    return new Answer(status, headers, body);
  }
}
