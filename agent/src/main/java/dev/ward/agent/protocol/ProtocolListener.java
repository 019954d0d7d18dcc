package dev.ward.agent.protocol;

import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.Future;

/**
 * One listening endpoint of the agent: it accepts clients of one protocol for one {@link
 * Connection}, checks who they are, and relays them to the upstream with the real credentials. Made
 * by a {@link ProtocolListenerFactory}; all methods may be called from any thread.
 */
public interface ProtocolListener {

  /**
   * Binds the listen address of the connection and starts accepting clients. The future completes
   * with the bound port (useful when the connection asks for port 0) or fails when the address
   * cannot be bound.
   */
  Future<Integer> start();

  /**
   * Applies a new version of the connection, e.g. from a newer config snapshot. Sessions already
   * open keep the settings they started with; new sessions get the new ones. When the listen
   * address changes the listener rebinds, and the future fails if the new address cannot be bound
   * (the caller then keeps the previous config in force).
   */
  Future<Void> update(Connection connection);

  /**
   * Stops accepting clients and closes every open session, ending their recordings with the reason
   * {@code agent-shutdown}. Completes once the listen socket is closed.
   */
  Future<Void> stop();

  /** The connection this listener serves right now. */
  Connection connection();
}
