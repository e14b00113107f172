package com.webook.interactive.repository.cache;

import com.webook.interactive.domain.Counts;
import com.webook.platform.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The counter cache of SPEC §6.3: one hash per item, {@code interactive:<biz>:<biz_id>}, fields
 * {@code read_cnt}, {@code like_cnt}, {@code collect_cnt}, expiring {@code ttl} after it was
 * loaded.
 *
 * <p>Writes never create a hash: an increment runs {@code incr_if_exists.lua} (HINCRBY only if the
 * key exists), so an item that is not cached stays uncached until a read loads all three fields
 * from the database. Many items go in one pipeline (Lettuce writes queued async commands back to
 * back on the one shared connection and the answers are awaited together), so {@code GetByIds} of
 * 100 ids and a batch of read events cost one round trip each.
 *
 * <p>An increment that failed (Redis down, slow, or the answer lost) leaves the cached hash behind
 * by it, so its key is remembered and deleted as soon as Redis answers again: the next call of any
 * kind first sends one {@code DEL} of every such key, without waiting for it — on the one ordered
 * connection it still reaches Redis before that call's own command, so the next read of the item
 * misses and loads it from the database. At most {@value #MAX_STALE} keys are remembered; beyond
 * that (a long outage under heavy writes) the TTL bounds the staleness.
 *
 * <p>Known and bounded: a load that read the database just before a concurrent increment committed
 * can write the older value after the increment found no key; the item is then low by that
 * increment until its TTL ends (SPEC's design; no counter is lost in the database).
 *
 * <p>Every method throws {@link CacheException} when Redis fails or takes longer than {@code
 * timeout}; callers decide (reads go to the database, writes log and count). Thread-safe.
 */
public final class InteractiveCache {
  static final String READ = "read_cnt";
  static final String LIKE = "like_cnt";
  static final String COLLECT = "collect_cnt";

  private static final LuaScript INCR_IF_EXISTS = LuaScript.fromClasspath("lua/incr_if_exists.lua");
  private static final LuaScript PUT = LuaScript.fromClasspath("lua/put_counts.lua");

  /** Keys whose increment failed, to delete once Redis answers; bounded. */
  static final int MAX_STALE = 100_000;

  private final StatefulRedisConnection<String, String> connection;
  private final Set<String> stale = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean evicting = new AtomicBoolean();
  private final String prefix;
  private final String ttlMillis;
  private final long timeoutNanos;

  public InteractiveCache(
      StatefulRedisConnection<String, String> connection, InteractiveCacheConfig config) {
    this.connection = connection;
    this.prefix = config.keyNamespace() + "interactive:";
    this.ttlMillis = Long.toString(config.ttl().toMillis());
    this.timeoutNanos = config.timeout().toNanos();
  }

  public String key(String biz, long bizId) {
    return prefix + biz + ':' + bizId;
  }

  /** The cached counters of one item; empty when it is not cached (or only partly). */
  public Optional<Counts> get(String biz, long bizId) {
    evictStale();
    return Optional.ofNullable(counts(await(connection.async().hgetall(key(biz, bizId)))));
  }

  /** The cached counters of those of {@code ids} that are cached, in one pipeline. */
  public Map<Long, Counts> getAll(String biz, List<Long> ids) {
    evictStale();
    RedisAsyncCommands<String, String> async = connection.async();
    List<CompletableFuture<Map<String, String>>> calls = new ArrayList<>(ids.size());
    for (long id : ids) {
      calls.add(async.hgetall(key(biz, id)).toCompletableFuture());
    }
    Map<Long, Counts> found = HashMap.newHashMap(ids.size());
    long deadline = System.nanoTime() + timeoutNanos;
    for (int i = 0; i < calls.size(); i++) {
      Counts c = counts(await(calls.get(i), deadline));
      if (c != null) {
        found.put(ids.get(i), c);
      }
    }
    return found;
  }

  /** Caches one item's counters with the TTL. */
  public void put(String biz, long bizId, Counts counts) {
    evictStale();
    await(put(connection, key(biz, bizId), counts));
  }

  /** Caches many items' counters, in one pipeline. */
  public void putAll(String biz, Map<Long, Counts> counts) {
    List<CompletableFuture<Object>> calls = new ArrayList<>(counts.size());
    counts.forEach((id, c) -> calls.add(put(connection, key(biz, id), c)));
    awaitAll(calls);
  }

  /** {@code like_cnt += delta} if the item is cached. */
  public void addLikes(String biz, long bizId, long delta) {
    incrementOne(key(biz, bizId), LIKE, delta);
  }

  /** {@code collect_cnt += delta} if the item is cached. */
  public void addCollects(String biz, long bizId, long delta) {
    incrementOne(key(biz, bizId), COLLECT, delta);
  }

  /** {@code read_cnt += delta} for every cached item of {@code deltas}, in one pipeline. */
  public void addReads(String biz, Map<Long, Long> deltas) {
    evictStale();
    List<String> keys = new ArrayList<>(deltas.size());
    List<CompletableFuture<Object>> calls = new ArrayList<>(deltas.size());
    deltas.forEach(
        (id, delta) -> {
          String key = key(biz, id);
          keys.add(key);
          calls.add(increment(key, READ, delta));
        });
    try {
      awaitAll(calls);
    } catch (CacheException e) {
      markStale(keys);
      throw e;
    }
  }

  /** How many keys wait to be deleted because their increment failed. */
  public int staleKeys() {
    return stale.size();
  }

  private void incrementOne(String key, String field, long delta) {
    evictStale();
    try {
      await(increment(key, field, delta));
    } catch (CacheException e) {
      markStale(List.of(key));
      throw e;
    }
  }

  private void markStale(List<String> keys) {
    for (String k : keys) {
      if (stale.size() >= MAX_STALE) {
        return;
      }
      stale.add(k);
    }
  }

  /**
   * Sends one DEL of the stale keys, unless none are waiting or one is already on its way; keys are
   * forgotten once Redis confirmed. A key marked again meanwhile is gone too: the DEL ran after the
   * increment that failed was sent.
   */
  private void evictStale() {
    if (stale.isEmpty() || !evicting.compareAndSet(false, true)) {
      return;
    }
    String[] keys = stale.toArray(String[]::new);
    try {
      connection
          .async()
          .del(keys)
          .whenComplete(
              (deleted, error) -> {
                if (error == null) {
                  for (String k : keys) {
                    stale.remove(k);
                  }
                }
                evicting.set(false);
              });
    } catch (RuntimeException e) {
      evicting.set(false);
    }
  }

  private CompletableFuture<Object> increment(String key, String field, long delta) {
    return INCR_IF_EXISTS.evalAsync(
        connection, ScriptOutputType.INTEGER, new String[] {key}, field, Long.toString(delta));
  }

  private CompletableFuture<Object> put(
      StatefulRedisConnection<String, String> c, String key, Counts counts) {
    return PUT.evalAsync(
        c,
        ScriptOutputType.INTEGER,
        new String[] {key},
        Long.toString(counts.readCnt()),
        Long.toString(counts.likeCnt()),
        Long.toString(counts.collectCnt()),
        ttlMillis);
  }

  /** A complete hash as counts; null for an absent key, a partial hash or a non-number. */
  private static Counts counts(Map<String, String> hash) {
    if (hash == null || hash.isEmpty()) {
      return null;
    }
    String read = hash.get(READ);
    String like = hash.get(LIKE);
    String collect = hash.get(COLLECT);
    if (read == null || like == null || collect == null) {
      return null;
    }
    try {
      return new Counts(Long.parseLong(read), Long.parseLong(like), Long.parseLong(collect));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> call) {
    return await(call.toCompletableFuture(), System.nanoTime() + timeoutNanos);
  }

  private void awaitAll(List<CompletableFuture<Object>> calls) {
    long deadline = System.nanoTime() + timeoutNanos;
    for (CompletableFuture<Object> call : calls) {
      await(call, deadline);
    }
  }

  private static <T> T await(CompletableFuture<T> call, long deadlineNanos) {
    try {
      return call.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted waiting for Redis", e);
    } catch (ExecutionException e) {
      throw new CacheException("Redis failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new CacheException("Redis did not answer in time", e);
    }
  }
}
