package com.webook.interactive;

import static com.webook.interactive.repository.dao.jooq.Tables.INTERACTIVES;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_COLLECTION_BIZS;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_LIKE_BIZS;
import static org.assertj.core.api.Assertions.assertThat;

import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.interactive.testing.InteractiveStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.CloseableDSLContext;

/**
 * A property of SPEC §6.2 against the real database and cache: for any interleaving of likes,
 * cancellations and collects by several users on a few items — each user's operations in order on a
 * thread of their own, all users at once — every item's {@code like_cnt} equals its records in
 * {@code user_like_bizs} with status 1, its {@code collect_cnt} equals its records in {@code
 * user_collection_bizs}, both match a sequential model of each user, and {@code Get} (the cache)
 * answers the same counts.
 */
class InteractionPropertyIT {
  private static final String BIZ = "article";
  private static final AtomicLong ITEM_BASE = new AtomicLong(5_000_000);
  private static InteractiveStack stack;

  @BeforeContainer
  static void start() {
    stack = InteractiveStack.start();
  }

  @AfterContainer
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  enum Kind {
    LIKE,
    CANCEL,
    COLLECT
  }

  /** One user's operation on item number {@code item} (0..2) of this try. */
  record Op(int user, int item, Kind kind, long cid) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(Kind.class),
                Arbitraries.longs().between(0, 2))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 40)
  void countersAlwaysEqualTheRecords(@ForAll("operations") List<Op> ops) throws Exception {
    long base = ITEM_BASE.addAndGet(10);
    Map<Integer, List<Op>> byUser = new HashMap<>();
    for (Op op : ops) {
      byUser.computeIfAbsent(op.user(), u -> new ArrayList<>()).add(op);
    }
    // Read one item first so it is cached: writes then go through the cache's increments too.
    get(base, 0);

    ExecutorService threads = Executors.newFixedThreadPool(byUser.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> runs = new ArrayList<>();
      for (List<Op> own : byUser.values()) {
        runs.add(
            threads.submit(
                () -> {
                  go.await();
                  for (Op op : own) {
                    apply(base, op);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      threads.shutdownNow();
    }

    // The sequential model of each user: liked if their last like/cancel was a like.
    Map<Integer, Set<Integer>> likers = new HashMap<>();
    Map<Integer, Set<Integer>> collectors = new HashMap<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case LIKE -> likers.computeIfAbsent(op.item(), i -> new HashSet<>()).add(op.user());
        case CANCEL -> likers.computeIfAbsent(op.item(), i -> new HashSet<>()).remove(op.user());
        case COLLECT -> collectors.computeIfAbsent(op.item(), i -> new HashSet<>()).add(op.user());
      }
    }
    try (CloseableDSLContext sql = stack.sql()) {
      for (int item = 0; item < 3; item++) {
        long id = base + item;
        int likedRows =
            sql.fetchCount(
                USER_LIKE_BIZS,
                USER_LIKE_BIZS.BIZ_ID.eq(id).and(USER_LIKE_BIZS.STATUS.eq((byte) 1)));
        int collectedRows =
            sql.fetchCount(USER_COLLECTION_BIZS, USER_COLLECTION_BIZS.BIZ_ID.eq(id));
        var row =
            sql.select(INTERACTIVES.LIKE_CNT, INTERACTIVES.COLLECT_CNT)
                .from(INTERACTIVES)
                .where(INTERACTIVES.BIZ_ID.eq(id).and(INTERACTIVES.BIZ.eq(BIZ)))
                .fetchOne();
        long likeCnt = row == null ? 0 : row.value1();
        long collectCnt = row == null ? 0 : row.value2();
        assertThat(likeCnt).as("item %d like_cnt = liked records", item).isEqualTo(likedRows);
        assertThat(collectCnt)
            .as("item %d collect_cnt = collect records", item)
            .isEqualTo(collectedRows);
        assertThat(likedRows)
            .as("item %d likes match the model", item)
            .isEqualTo(likers.getOrDefault(item, Set.of()).size());
        assertThat(collectedRows)
            .as("item %d collects match the model", item)
            .isEqualTo(collectors.getOrDefault(item, Set.of()).size());

        Interactive cached = get(base, item);
        assertThat(cached.getLikeCnt()).as("item %d Get like_cnt", item).isEqualTo(likeCnt);
        assertThat(cached.getCollectCnt())
            .as("item %d Get collect_cnt", item)
            .isEqualTo(collectCnt);
        for (int user = 1; user <= 4; user++) {
          Interactive mine = get(base, item, user);
          assertThat(mine.getLiked())
              .as("item %d liked by %d", item, user)
              .isEqualTo(likers.getOrDefault(item, Set.of()).contains(user));
          assertThat(mine.getCollected())
              .as("item %d collected by %d", item, user)
              .isEqualTo(collectors.getOrDefault(item, Set.of()).contains(user));
        }
      }
    }
  }

  private static void apply(long base, Op op) {
    long id = base + op.item();
    switch (op.kind()) {
      case LIKE ->
          stack
              .intr()
              .like(LikeRequest.newBuilder().setBiz(BIZ).setBizId(id).setUid(op.user()).build());
      case CANCEL ->
          stack
              .intr()
              .cancelLike(
                  CancelLikeRequest.newBuilder()
                      .setBiz(BIZ)
                      .setBizId(id)
                      .setUid(op.user())
                      .build());
      case COLLECT ->
          stack
              .intr()
              .collect(
                  CollectRequest.newBuilder()
                      .setBiz(BIZ)
                      .setBizId(id)
                      .setUid(op.user())
                      .setCid(op.cid())
                      .build());
    }
  }

  private static Interactive get(long base, int item) {
    return get(base, item, 0);
  }

  private static Interactive get(long base, int item, long uid) {
    return stack
        .intr()
        .get(GetRequest.newBuilder().setBiz(BIZ).setBizId(base + item).setUid(uid).build())
        .getIntr();
  }
}
