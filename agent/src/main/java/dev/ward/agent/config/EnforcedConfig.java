package dev.ward.agent.config;

import dev.ward.agent.channel.ConfigCache;
import dev.ward.proto.channel.v1.ConfigSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The configuration the agent enforces right now. A new snapshot is handed to every {@link Stage}
 * in order (e.g. the listeners); only when all accept it does it become current and is it written
 * to the disk cache. A rejected snapshot leaves the previous one in force.
 */
public final class EnforcedConfig {

  /** A part of the agent that must accept a snapshot before it is enforced. */
  public interface Stage extends Function<ConfigSnapshot, CompletionStage<Void>> {}

  private final ConfigCache cache;
  private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>();
  private final List<Stage> stages = new ArrayList<>();

  public EnforcedConfig(ConfigCache cache) {
    this.cache = cache;
  }

  /** Adds a stage; stages run in the order they were added. */
  public synchronized void addStage(Stage stage) {
    stages.add(stage);
  }

  /** The snapshot in force, if any. */
  public Optional<ConfigSnapshot> current() {
    return Optional.ofNullable(current.get());
  }

  /** Applies a snapshot read from the disk cache at start, without writing it back. */
  public CompletionStage<Void> restore(ConfigSnapshot snapshot) {
    return runStages(snapshot).thenRun(() -> current.set(snapshot));
  }

  /** Applies a snapshot from the control plane and caches it once in force. */
  public CompletionStage<Void> apply(ConfigSnapshot snapshot) {
    ConfigSnapshot previous = current.get();
    if (previous != null
        && !previous.getTenantId().isEmpty()
        && !previous.getTenantId().equals(snapshot.getTenantId())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "the snapshot is for another organisation than the config this agent enforces; if"
                  + " the agent was registered anew elsewhere, delete config.snapshot in its data"
                  + " directory and restart it"));
    }
    return runStages(snapshot)
        .thenRun(
            () -> {
              current.set(snapshot);
              try {
                cache.save(snapshot);
              } catch (IOException e) {
                System.getLogger(EnforcedConfig.class.getName())
                    .log(
                        System.Logger.Level.WARNING, "Could not cache config: {0}", e.getMessage());
              }
            });
  }

  private CompletionStage<Void> runStages(ConfigSnapshot snapshot) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    List<Stage> copy;
    synchronized (this) {
      copy = List.copyOf(stages);
    }
    for (Stage stage : copy) {
      chain = chain.thenCompose(ignored -> stage.apply(snapshot));
    }
    return chain;
  }
}
