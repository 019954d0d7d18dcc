package dev.ward.agent.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/** A TLS handshake between two engines in memory, to warm up the JDK's TLS stack. */
final class InMemoryHandshake {

  private InMemoryHandshake() {}

  static void run(SSLEngine client, SSLEngine server) throws SSLException {
    client.setUseClientMode(true);
    server.setUseClientMode(false);
    int packet =
        Math.max(
            client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    int app =
        Math.max(
            client.getSession().getApplicationBufferSize(),
            server.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
    ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer sink = ByteBuffer.allocate(app * 2);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 200 && !(done(client) && done(server)); step++) {
      client.wrap(empty, toServer);
      runTasks(client);
      toServer.flip();
      server.unwrap(toServer, sink);
      toServer.compact();
      runTasks(server);
      server.wrap(empty, toClient);
      runTasks(server);
      toClient.flip();
      client.unwrap(toClient, sink);
      toClient.compact();
      runTasks(client);
      sink.clear();
    }
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus s = e.getHandshakeStatus();
    return s == HandshakeStatus.FINISHED || s == HandshakeStatus.NOT_HANDSHAKING;
  }

  private static void runTasks(SSLEngine e) {
    Runnable task;
    while ((task = e.getDelegatedTask()) != null) {
      task.run();
    }
  }
}
