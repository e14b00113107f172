package com.webook.platform.cache;

import com.webook.platform.errors.UnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Per-process single-flight (Go's {@code singleflight.Group}): concurrent loads of one key run the
 * loader once, and every caller gets its result or its exception. A cache miss on a hot key then
 * costs the database one query, not one per waiting request (SPEC §4.3, §5.2: stampede protection).
 *
 * <p>The leader runs the loader on its own thread and leaves the in-flight map only after the
 * loader returned, so a loader that writes the cache before returning guarantees that a caller
 * arriving afterwards finds the cache filled. Thread-safe.
 *
 * @param <K> the key (equals/hashCode)
 * @param <V> the loaded value
 */
public final class SingleFlight<K, V> {
  private final ConcurrentHashMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  /** What a {@link #load} did: ran the loader itself, or waited for another caller's run. */
  public enum Role {
    LEADER,
    FOLLOWER
  }

  /** The value, and whether this call ran the loader. */
  public record Loaded<V>(V value, Role role) {}

  /**
   * Runs {@code loader} for {@code key} unless a load of that key is in flight, in which case it
   * waits for that one. An exception of the loader reaches every caller of that flight.
   *
   * @throws UnavailableException if interrupted while waiting
   */
  public Loaded<V> load(K key, Supplier<V> loader) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      waiting.incrementAndGet();
      try {
        return new Loaded<>(await(running), Role.FOLLOWER);
      } finally {
        waiting.decrementAndGet();
      }
    }
    try {
      V value = loader.get();
      mine.complete(value);
      return new Loaded<>(value, Role.LEADER);
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** Loads in flight right now (for tests and gauges). */
  public int inFlight() {
    return inFlight.size();
  }

  /** Callers waiting for another caller's load right now (for tests and gauges). */
  public int waiting() {
    return waiting.get();
  }

  private static <V> V await(CompletableFuture<V> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for a shared load", e);
    } catch (ExecutionException e) {
      // Rethrown as the leader saw it, so callers handle one exception type whoever loaded.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
