package dev.ward.agent.connection;

import dev.ward.agent.config.EnforcedConfig;
import dev.ward.agent.protocol.ListenerContext;
import dev.ward.agent.protocol.ProtocolListener;
import dev.ward.agent.protocol.ProtocolListenerFactory;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import dev.ward.proto.channel.v1.Connection;
import io.vertx.core.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Keeps one running protocol listener per connection of the enforced config: starts listeners for
 * new connections, updates changed ones (open sessions keep their settings), stops removed ones. If
 * any new listener cannot start (its port is taken, say), the listeners this snapshot started are
 * stopped again and the snapshot is refused, so the previous config stays whole.
 */
public final class ConnectionListeners implements EnforcedConfig.Stage, AutoCloseable {

  private static final Logger LOG = System.getLogger(ConnectionListeners.class.getName());

  private final BiFunction<Connection, ConfigSnapshot, ListenerContext> contexts;
  private final UnaryOperator<Connection> local;
  private final Map<String, ProtocolListener> running = new LinkedHashMap<>();
  private final Map<String, Integer> boundPorts = new HashMap<>();
  private boolean stopped;

  /**
   * @param contexts makes the listener context of a connection in a snapshot
   */
  public ConnectionListeners(BiFunction<Connection, ConfigSnapshot, ListenerContext> contexts) {
    this(contexts, UnaryOperator.identity());
  }

  /**
   * @param contexts makes the listener context of a connection in a snapshot
   * @param local this agent's own adjustments to each connection (its listen address)
   */
  public ConnectionListeners(
      BiFunction<Connection, ConfigSnapshot, ListenerContext> contexts,
      UnaryOperator<Connection> local) {
    this.contexts = contexts;
    this.local = local;
  }

  @Override
  public synchronized CompletionStage<Void> apply(ConfigSnapshot snapshot) {
    if (stopped) {
      // a snapshot that arrives while the agent stops must not open new listeners
      return Future.<Void>failedFuture(new IllegalStateException("the agent is stopping"))
          .toCompletionStage();
    }
    Map<String, Connection> wanted = new LinkedHashMap<>();
    for (Connection listed : snapshot.getConnectionsList()) {
      Connection c = local.apply(listed);
      if (ProtocolListenerFactory.forKind(c.getKind()).isEmpty()) {
        LOG.log(
            Level.WARNING,
            "Connection {0} is of kind {1}, which this agent version does not serve; skipping it",
            c.getName(),
            c.getKind());
        continue;
      }
      wanted.put(c.getId(), c);
    }
    List<Future<?>> steps = new ArrayList<>();
    Map<String, ProtocolListener> started = new LinkedHashMap<>();
    for (Connection c : wanted.values()) {
      ProtocolListener existing = running.get(c.getId());
      if (existing != null && existing.connection().getKind().equals(c.getKind())) {
        if (!existing.connection().equals(c)) {
          steps.add(existing.update(c));
        }
        continue;
      }
      if (existing != null) {
        steps.add(existing.stop());
        running.remove(c.getId());
      }
      ProtocolListener listener;
      try {
        listener =
            ProtocolListenerFactory.forKind(c.getKind())
                .orElseThrow()
                .create(contexts.apply(c, snapshot));
      } catch (IllegalArgumentException e) {
        return rollback(started, "connection " + c.getName() + ": " + e.getMessage());
      }
      started.put(c.getId(), listener);
      steps.add(listener.start().onSuccess(port -> recordPort(c.getId(), port)));
    }
    List<String> removed = running.keySet().stream().filter(id -> !wanted.containsKey(id)).toList();
    Future<Void> all = Future.join(steps).mapEmpty();
    return all.toCompletionStage()
        .handle(
            (ok, error) -> {
              synchronized (this) {
                if (error != null) {
                  rollback(started, "a listener could not start: " + error.getMessage());
                  throw new IllegalStateException(
                      "a listener could not start: " + error.getMessage(), error);
                }
                running.putAll(started);
                for (String id : removed) {
                  ProtocolListener gone = running.remove(id);
                  boundPorts.remove(id);
                  LOG.log(
                      Level.INFO,
                      "Connection {0} removed; stopping its listener",
                      gone.connection().getName());
                  gone.stop();
                }
                return null;
              }
            });
  }

  private synchronized void recordPort(String id, int port) {
    boundPorts.put(id, port);
  }

  private CompletionStage<Void> rollback(Map<String, ProtocolListener> started, String reason) {
    started.values().forEach(ProtocolListener::stop);
    return Future.<Void>failedFuture(new IllegalStateException(reason)).toCompletionStage();
  }

  /** The port each connection's listener is bound to, by connection name. */
  public synchronized Map<String, Integer> ports() {
    Map<String, Integer> byName = new LinkedHashMap<>();
    running.forEach((id, l) -> byName.put(l.connection().getName(), boundPorts.get(id)));
    return byName;
  }

  /** How many listeners run. */
  public synchronized int size() {
    return running.size();
  }

  /**
   * Stops every listener, ending its open sessions with the reason {@code agent-shutdown}.
   * Completes once each listener has closed its socket, by which time the sessions have ended.
   */
  public CompletionStage<Void> stopAll() {
    List<ProtocolListener> stopping;
    synchronized (this) {
      stopped = true;
      stopping = List.copyOf(running.values());
      running.clear();
    }
    List<Future<Void>> closing = new ArrayList<>();
    stopping.forEach(listener -> closing.add(listener.stop()));
    return Future.join(closing).<Void>mapEmpty().toCompletionStage();
  }

  @Override
  public void close() {
    stopAll();
  }
}
