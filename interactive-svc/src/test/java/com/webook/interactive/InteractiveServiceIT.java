package com.webook.interactive;

import static com.webook.interactive.repository.dao.jooq.Tables.INTERACTIVES;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_COLLECTION_BIZS;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_LIKE_BIZS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.IncrReadCntRequest;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.interactive.testing.InteractiveStack;
import com.webook.testsupport.TcpProxy;
import com.webook.testsupport.TestStack;
import com.webook.testsupport.ThrowawayRedis;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * interactive-svc's RPCs in-process on the real stack (MariaDB, Redis): SPEC §6.2 semantics, the
 * cache of §6.3, request checks of §3, and concurrency (50 parallel likes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteractiveServiceIT {
  private static final String BIZ = "article";
  private static final AtomicLong IDS = new AtomicLong(1000);

  private InteractiveStack stack;

  @BeforeAll
  void start() {
    stack = InteractiveStack.start();
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static long newId() {
    return IDS.incrementAndGet();
  }

  private void like(long id, long uid) {
    stack.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(uid).build());
  }

  private void cancel(long id, long uid) {
    stack
        .intr()
        .cancelLike(CancelLikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(uid).build());
  }

  private void collect(long id, long uid, long cid) {
    stack
        .intr()
        .collect(
            CollectRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(uid).setCid(cid).build());
  }

  private Interactive get(long id, long uid) {
    return stack
        .intr()
        .get(GetRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(uid).build())
        .getIntr();
  }

  private long dbLikes(long id) {
    try (CloseableDSLContext sql = stack.sql()) {
      Long v =
          sql.select(INTERACTIVES.LIKE_CNT)
              .from(INTERACTIVES)
              .where(INTERACTIVES.BIZ_ID.eq(id).and(INTERACTIVES.BIZ.eq(BIZ)))
              .fetchOne(INTERACTIVES.LIKE_CNT);
      return v == null ? 0 : v;
    }
  }

  @Test
  void likeTwiceCountsOnceCancelTwiceOnceAndLikingAgainCounts() {
    long id = newId();
    like(id, 7);
    like(id, 7);
    assertThat(get(id, 7).getLikeCnt()).isEqualTo(1);
    assertThat(get(id, 7).getLiked()).isTrue();
    assertThat(get(id, 8).getLiked()).as("another user").isFalse();
    assertThat(get(id, 0).getLiked()).as("anonymous").isFalse();

    cancel(id, 7);
    cancel(id, 7);
    Interactive after = get(id, 7);
    assertThat(after.getLikeCnt()).isZero();
    assertThat(after.getLiked()).isFalse();
    assertThat(dbLikes(id)).isZero();

    like(id, 7);
    assertThat(get(id, 7).getLikeCnt()).isEqualTo(1);
    assertThat(dbLikes(id)).isEqualTo(1);
    assertThat(get(id, 7).getBiz()).isEqualTo(BIZ);
    assertThat(get(id, 7).getBizId()).isEqualTo(id);
  }

  @Test
  void cancellingALikeThatDoesNotExistChangesNothing() {
    long id = newId();
    like(id, 1);
    cancel(id, 2);
    assertThat(get(id, 2).getLikeCnt()).isEqualTo(1);
    long other = newId();
    cancel(other, 2);
    assertThat(get(other, 2).getLikeCnt()).isZero();
    try (CloseableDSLContext sql = stack.sql()) {
      assertThat(sql.fetchCount(USER_LIKE_BIZS, USER_LIKE_BIZS.BIZ_ID.eq(other))).isZero();
      assertThat(sql.fetchCount(INTERACTIVES, INTERACTIVES.BIZ_ID.eq(other))).isZero();
    }
  }

  @Test
  void collectIsIdempotentAndAnotherFolderMovesTheRecord() {
    long id = newId();
    collect(id, 5, 0);
    collect(id, 5, 0);
    assertThat(get(id, 5).getCollectCnt()).isEqualTo(1);
    assertThat(get(id, 5).getCollected()).isTrue();
    assertThat(get(id, 6).getCollected()).isFalse();

    collect(id, 5, 42);
    assertThat(get(id, 5).getCollectCnt()).as("moving to a folder counts nothing").isEqualTo(1);
    try (CloseableDSLContext sql = stack.sql()) {
      assertThat(
              sql.select(USER_COLLECTION_BIZS.CID)
                  .from(USER_COLLECTION_BIZS)
                  .where(USER_COLLECTION_BIZS.BIZ_ID.eq(id).and(USER_COLLECTION_BIZS.UID.eq(5L)))
                  .fetchSingle(USER_COLLECTION_BIZS.CID))
          .isEqualTo(42);
    }
    collect(id, 6, 3);
    assertThat(get(id, 0).getCollectCnt()).isEqualTo(2);
  }

  @Test
  void fiftyParallelLikesOfOneUserCountOnceAndOfFiftyUsersFifty() throws Exception {
    long byOne = newId();
    long byFifty = newId();
    parallel(50, i -> like(byOne, 77));
    parallel(50, i -> like(byFifty, 1000 + i));

    assertThat(dbLikes(byOne)).isEqualTo(1);
    assertThat(dbLikes(byFifty)).isEqualTo(50);
    assertThat(get(byOne, 77).getLikeCnt()).isEqualTo(1);
    assertThat(get(byFifty, 1049).getLikeCnt()).isEqualTo(50);
    assertThat(get(byFifty, 1049).getLiked()).isTrue();

    // and fifty parallel cancellations by the fifty: back to zero, cache and database
    parallel(50, i -> cancel(byFifty, 1000 + i));
    assertThat(dbLikes(byFifty)).isZero();
    assertThat(get(byFifty, 0).getLikeCnt()).isZero();
  }

  @Test
  void readsAreOneUpsertEachAndTheCacheFollowsWrites() {
    long id = newId();
    String key = stack.cacheKey(BIZ, id);
    // Not cached: writes create no hash.
    stack.intr().incrReadCnt(IncrReadCntRequest.newBuilder().setBiz(BIZ).setBizId(id).build());
    like(id, 1);
    assertThat(stack.redis.connection().sync().exists(key)).isZero();

    int loadsBefore = stack.dao.singleLoads();
    assertThat(get(id, 0).getReadCnt()).isEqualTo(1);
    assertThat(stack.dao.singleLoads()).isEqualTo(loadsBefore + 1);
    assertThat(stack.redis.connection().sync().hgetall(key))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("read_cnt", "1", "like_cnt", "1", "collect_cnt", "0"));
    long ttl = stack.redis.connection().sync().pttl(key);
    assertThat(ttl).isBetween(14 * 60_000L, 15 * 60_000L);

    // Cached: writes increment it, reads come from it.
    stack.intr().incrReadCnt(IncrReadCntRequest.newBuilder().setBiz(BIZ).setBizId(id).build());
    like(id, 2);
    collect(id, 2, 0);
    cancel(id, 1);
    Interactive i = get(id, 0);
    assertThat(stack.dao.singleLoads()).as("served from the cache").isEqualTo(loadsBefore + 1);
    assertThat(List.of(i.getReadCnt(), i.getLikeCnt(), i.getCollectCnt()))
        .containsExactly(2L, 1L, 1L);
    assertThat(stack.redis.connection().sync().pttl(key))
        .as("increments do not extend the TTL")
        .isLessThanOrEqualTo(ttl);
  }

  @Test
  void getByIdsIsOneQueryForTheMissesAndOmitsIdsWithoutCounters() {
    long a = newId();
    long b = newId();
    long never = newId();
    like(a, 1);
    like(b, 1);
    like(b, 2);
    get(a, 0); // a is cached now; b is not
    int batchBefore = stack.dao.batchLoads();
    int singleBefore = stack.dao.singleLoads();
    Map<Long, Interactive> got =
        stack
            .intr()
            .getByIds(
                GetByIdsRequest.newBuilder()
                    .setBiz(BIZ)
                    .addIds(a)
                    .addIds(b)
                    .addIds(never)
                    .addIds(b)
                    .build())
            .getIntrsMap();
    assertThat(got.keySet()).containsExactlyInAnyOrder(a, b);
    assertThat(got.get(a).getLikeCnt()).isEqualTo(1);
    assertThat(got.get(b).getLikeCnt()).isEqualTo(2);
    assertThat(stack.dao.batchLoads())
        .as("one IN query for b and never")
        .isEqualTo(batchBefore + 1);
    assertThat(stack.dao.singleLoads()).isEqualTo(singleBefore);

    // Everything is cached now, zeros included: no query at all.
    stack
        .intr()
        .getByIds(
            GetByIdsRequest.newBuilder().setBiz(BIZ).addIds(a).addIds(b).addIds(never).build());
    assertThat(stack.dao.batchLoads()).isEqualTo(batchBefore + 1);
    assertThat(stack.redis.connection().sync().hgetall(stack.cacheKey(BIZ, never)))
        .containsEntry("like_cnt", "0");

    long[] hundred = LongStream.range(0, 100).map(x -> newId()).toArray();
    GetByIdsRequest.Builder big = GetByIdsRequest.newBuilder().setBiz(BIZ);
    for (long id : hundred) {
      big.addIds(id);
    }
    like(hundred[99], 3);
    Map<Long, Interactive> many = stack.intr().getByIds(big.build()).getIntrsMap();
    assertThat(many).containsOnlyKeys(hundred[99]);
  }

  @Test
  void everyRequestIsChecked() {
    List<Runnable> bad =
        List.of(
            () -> stack.intr().like(LikeRequest.newBuilder().setBizId(1).setUid(1).build()),
            () ->
                stack
                    .intr()
                    .like(
                        LikeRequest.newBuilder()
                            .setBiz("x".repeat(129))
                            .setBizId(1)
                            .setUid(1)
                            .build()),
            () -> stack.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setUid(1).build()),
            () ->
                stack
                    .intr()
                    .like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(-5).setUid(1).build()),
            () -> stack.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(1).build()),
            () ->
                stack
                    .intr()
                    .cancelLike(CancelLikeRequest.newBuilder().setBiz(BIZ).setBizId(1).build()),
            () ->
                stack
                    .intr()
                    .collect(
                        CollectRequest.newBuilder()
                            .setBiz(BIZ)
                            .setBizId(1)
                            .setUid(1)
                            .setCid(-1)
                            .build()),
            () ->
                stack
                    .intr()
                    .get(GetRequest.newBuilder().setBiz(BIZ).setBizId(1).setUid(-1).build()),
            () -> stack.intr().get(GetRequest.newBuilder().setBiz(BIZ).build()),
            () -> stack.intr().getByIds(GetByIdsRequest.newBuilder().setBiz(BIZ).build()),
            () -> stack.intr().getByIds(GetByIdsRequest.newBuilder().setBiz(BIZ).addIds(0).build()),
            () -> {
              GetByIdsRequest.Builder tooMany = GetByIdsRequest.newBuilder().setBiz(BIZ);
              LongStream.rangeClosed(1, 1001).forEach(tooMany::addIds);
              stack.intr().getByIds(tooMany.build());
            },
            () -> stack.intr().incrReadCnt(IncrReadCntRequest.newBuilder().setBizId(1).build()));
    for (int i = 0; i < bad.size(); i++) {
      assertThatThrownBy(bad.get(i)::run)
          .as("request %d", i)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).doesNotContain("Exception");
              });
    }
    // 128 characters is fine; nothing was written by the rejected ones.
    like(1, 1);
    stack
        .intr()
        .like(LikeRequest.newBuilder().setBiz("x".repeat(128)).setBizId(1).setUid(1).build());
    try (CloseableDSLContext sql = stack.sql()) {
      assertThat(sql.fetchCount(USER_COLLECTION_BIZS, USER_COLLECTION_BIZS.BIZ_ID.eq(1L))).isZero();
    }
  }

  @Test
  void aFailingCacheNeverFailsAWriteAndReadsGoToTheDatabase() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        InteractiveStack own =
            InteractiveStack.start(
                Map.of("WEBOOK_REDIS_URL", redis.url(), "WEBOOK_CACHE_TIMEOUT", "200ms"))) {
      long id = newId();
      own.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(1).build());
      own.intr().get(GetRequest.newBuilder().setBiz(BIZ).setBizId(id).build()); // cached now
      redis.freeze();
      try {
        own.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(2).build());
        own.intr().collect(CollectRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(2).build());
        Interactive i =
            own.intr()
                .get(GetRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(2).build())
                .getIntr();
        assertThat(i.getLikeCnt()).isEqualTo(2);
        assertThat(i.getCollectCnt()).isEqualTo(1);
        assertThat(i.getLiked()).isTrue();
        assertThat(own.counter("cache.failures", "cache", "interactive")).isGreaterThanOrEqualTo(3);
      } finally {
        redis.thaw();
      }
    }
  }

  /**
   * An increment lost with the connection to Redis (the write succeeds: the database has it) would
   * leave the cached hash one behind for its whole TTL; the cache deletes it as soon as Redis
   * answers again, so the first reads after the outage load the right count.
   */
  @Test
  void aHashLeftBehindByALostIncrementIsDeletedOnceRedisAnswers() throws Exception {
    URI redisUri = URI.create(TestStack.redisUrl());
    try (TcpProxy proxy = TcpProxy.to(redisUri.getHost(), redisUri.getPort());
        InteractiveStack own =
            InteractiveStack.start(
                Map.of(
                    "WEBOOK_REDIS_URL",
                    "redis://127.0.0.1:" + proxy.port(),
                    "WEBOOK_CACHE_TIMEOUT",
                    "200ms"))) {
      long id = newId();
      String key = own.cacheKey(BIZ, id);
      // Assertions on the real Redis, around the proxy (the class stack's connection).
      own.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(1).build());
      own.intr().get(GetRequest.newBuilder().setBiz(BIZ).setBizId(id).build()); // cached: 1
      assertThat(stack.redis.connection().sync().hget(key, "like_cnt")).isEqualTo("1");

      proxy.cut();
      own.intr().like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(2).build());
      assertThat(stack.redis.connection().sync().hget(key, "like_cnt"))
          .as("the increment never reached Redis")
          .isEqualTo("1");
      proxy.restore();

      double hitsBefore = own.counter("cache.gets", "cache", "interactive", "result", "hit");
      await()
          .atMost(Duration.ofSeconds(60))
          .alias("a cache hit after the outage, with the right count")
          .until(
              () -> {
                long likes =
                    own.intr()
                        .get(GetRequest.newBuilder().setBiz(BIZ).setBizId(id).build())
                        .getIntr()
                        .getLikeCnt();
                assertThat(likes).as("never the stale count").isEqualTo(2);
                return own.counter("cache.gets", "cache", "interactive", "result", "hit")
                    > hitsBefore;
              });
      assertThat(stack.redis.connection().sync().hget(key, "like_cnt")).isEqualTo("2");
    }
  }

  private static void parallel(int n, Consumer<Integer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  call.accept(k);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
