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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  private final StatefulRedisConnection<String, String> connection;
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
    return Optional.ofNullable(counts(await(connection.async().hgetall(key(biz, bizId)))));
  }

  /** The cached counters of those of {@code ids} that are cached, in one pipeline. */
  public Map<Long, Counts> getAll(String biz, List<Long> ids) {
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
    await(increment(key(biz, bizId), LIKE, delta));
  }

  /** {@code collect_cnt += delta} if the item is cached. */
  public void addCollects(String biz, long bizId, long delta) {
    await(increment(key(biz, bizId), COLLECT, delta));
  }

  /** {@code read_cnt += delta} for every cached item of {@code deltas}, in one pipeline. */
  public void addReads(String biz, Map<Long, Long> deltas) {
    List<CompletableFuture<Object>> calls = new ArrayList<>(deltas.size());
    deltas.forEach((id, delta) -> calls.add(increment(key(biz, id), READ, delta)));
    awaitAll(calls);
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
