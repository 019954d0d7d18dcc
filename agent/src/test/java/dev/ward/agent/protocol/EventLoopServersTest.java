package dev.ward.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopServersTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneServerPerEventLoopOfTheVertxInstance() throws Exception {
    assertThat(EventLoopServers.eventLoops(vertx)).isEqualTo(4);
    Vertx single = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      assertThat(EventLoopServers.eventLoops(single)).isEqualTo(1);
    } finally {
      single.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void connectionsAreSpreadOverSeveralEventLoopsOfOnePort() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch accepted = new CountDownLatch(8);
    EventLoopServers servers =
        new EventLoopServers(
            vertx,
            new NetServerOptions().setHost("127.0.0.1").setPort(0),
            socket -> {
              threads.add(Thread.currentThread().getName());
              accepted.countDown();
            },
            4);
    int port = servers.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(port).isPositive();
    assertThat(servers.actualPort()).isEqualTo(port);

    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        clients.add(new Socket("127.0.0.1", port));
      }
      assertThat(accepted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).hasSizeGreaterThan(1).allMatch(t -> t.contains("eventloop"));
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
  }

  @Test
  void httpRequestsOfSeveralConnectionsAreServedOnSeveralEventLoops() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    EventLoopServers servers =
        EventLoopServers.http(
            vertx,
            new HttpServerOptions().setHost("127.0.0.1").setPort(0),
            request -> {
              threads.add(Thread.currentThread().getName());
              request.response().end("ok");
            },
            request -> request.response().setStatusCode(400).end(),
            4);
    int port = servers.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      for (int i = 0; i < 8; i++) {
        // a new client each time: a new connection, accepted by the next loop
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("ok");
        client.close();
      }
      assertThat(threads).hasSizeGreaterThan(1).allMatch(t -> t.contains("eventloop"));
    } finally {
      servers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void closeStopsAcceptingOnEveryEventLoop() throws Exception {
    EventLoopServers servers =
        new EventLoopServers(
            vertx, new NetServerOptions().setHost("127.0.0.1").setPort(0), socket -> {}, 3);
    int port = servers.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    servers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> connectToOtherThanItself(port)).isInstanceOf(ConnectException.class);
  }

  /**
   * Connects to a local port. The port was free for the kernel to hand out as a client's own port,
   * and a client given the very port it dials connects to itself (TCP simultaneous open), which
   * says nothing about listeners; such a connection is dropped and the dial repeated.
   */
  private static void connectToOtherThanItself(int port) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        if (socket.getLocalPort() != port) {
          return;
        }
      }
    }
  }

  @Test
  void aTakenPortFailsTheListenAndLeavesNothingBound() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      EventLoopServers servers =
          new EventLoopServers(
              vertx,
              new NetServerOptions().setHost("127.0.0.1").setPort(taken.getLocalPort()),
              socket -> {},
              2);
      assertThatThrownBy(
              () ->
                  servers
                      .listen()
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IOException.class);
      assertThat(vertx.deploymentIDs()).isEmpty();
    }
  }
}
