package dev.ward.agent.protocol;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Makes listeners for one kind of connection ({@code postgres}, {@code http}, …). Each protocol
 * package provides one factory and lists it in {@code
 * META-INF/services/dev.ward.agent.protocol.ProtocolListenerFactory}, so adding a protocol means
 * adding a package, never editing the agent.
 */
public interface ProtocolListenerFactory {

  /**
   * The connection kind this factory serves, as written in {@code Connection.kind}, e.g. {@code
   * postgres}.
   */
  String kind();

  /**
   * Makes a listener for the connection in the context. The listener does not bind anything until
   * {@link ProtocolListener#start()}; this method only checks the connection and fails with an
   * {@link IllegalArgumentException} saying what is wrong with it (bad target, unknown TLS mode).
   */
  ProtocolListener create(ListenerContext context);

  /** The factory for a connection kind among those on the class path, if any. */
  static Optional<ProtocolListenerFactory> forKind(String kind) {
    for (ProtocolListenerFactory f : ServiceLoader.load(ProtocolListenerFactory.class)) {
      if (f.kind().equals(kind)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
