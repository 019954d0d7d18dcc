package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class UnreachableTest {

  @Test
  void aRefusedConnectionIsNamedEvenWhenTheJdkGivesNoMessage() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    IOException refused = null;
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      refused = e;
    }
    assertThat(refused).isNotNull();
    assertThat(ControlPlane.unreachable(refused)).isEqualTo("connection refused");
  }

  @Test
  void timeoutsAndWrappedCausesReadAsAReason() {
    assertThat(ControlPlane.unreachable(new HttpConnectTimeoutException("HTTP connect timed out")))
        .isEqualTo("no answer in time");
    assertThat(ControlPlane.unreachable(new IOException(null, new ConnectException())))
        .isEqualTo("connection refused");
    assertThat(ControlPlane.unreachable(new IOException("stream reset"))).isEqualTo("stream reset");
    assertThat(ControlPlane.unreachable(new IOException())).isEqualTo("IOException");
  }
}
