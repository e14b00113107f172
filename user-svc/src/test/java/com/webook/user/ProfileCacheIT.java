package com.webook.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.User;
import com.webook.testsupport.ThrowawayRedis;
import com.webook.user.testing.UserStack;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The profile cache's protections (SPEC §4.3) on the real stack: concurrent misses for one id load
 * the database once, and while Redis is down the database is read through a per-instance
 * concurrency limit whose excess is answered UNAVAILABLE.
 */
class ProfileCacheIT {

  @Test
  void concurrentMissesForOneIdLoadTheDatabaseOnce() throws Exception {
    int callers = 20;
    try (UserStack stack = UserStack.start()) {
      long id = stack.users().findOrCreate(phone("13800000001")).getUser().getId();
      int loadsBefore = stack.dao.findByIdCalls();
      stack.dao.hold();

      List<Future<User>> answers = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
        for (int i = 0; i < callers; i++) {
          answers.add(pool.submit(() -> stack.users().profile(profile(id)).getUser()));
        }
        // Every caller missed the cache: one is loading (held), the others wait for its result.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    stack.dao.held() == 1
                        && stack.gauge("cache.load.waiting", "cache", "user_info") == callers - 1);
        stack.dao.release();

        for (Future<User> answer : answers) {
          assertThat(answer.get().getId()).isEqualTo(id);
          assertThat(answer.get().getPhone()).isEqualTo("13800000001");
        }
      }

      assertThat(stack.dao.findByIdCalls() - loadsBefore)
          .as("one database load for %d misses", callers)
          .isEqualTo(1);
      assertThat(stack.counter("cache.gets", "cache", "user_info", "result", "miss"))
          .isEqualTo(callers);
      assertThat(stack.counter("cache.load.shared", "cache", "user_info")).isEqualTo(callers - 1);
      assertThat(stack.redis.connection().sync().exists(stack.namespace + "user:info:" + id))
          .as("written back")
          .isEqualTo(1);
    }
  }

  @Test
  void redisDownReadsTheDatabaseUnderTheBypassLimitAndShedsTheExcess() throws Exception {
    int limit = 2;
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        UserStack stack = UserStack.start(redis.url(), limit)) {
      long a = stack.users().findOrCreate(phone("13800000011")).getUser().getId();
      long b = stack.users().findOrCreate(phone("13800000012")).getUser().getId();
      long c = stack.users().findOrCreate(phone("13800000013")).getUser().getId();

      redis.kill();

      // Reads keep working from the database while Redis is gone.
      assertThat(stack.users().profile(profile(a)).getUser().getPhone()).isEqualTo("13800000011");
      assertThat(
              stack
                  .users()
                  .batchProfile(BatchProfileRequest.newBuilder().addIds(a).addIds(b).build())
                  .getUsersMap())
          .containsOnlyKeys(a, b);
      assertThat(stack.counter("cache.gets", "cache", "user_info", "result", "error"))
          .as("1 GET + 2 keys of the MGET")
          .isEqualTo(3);

      // Fill the limit with two slow database reads (different ids, so single-flight does not merge
      // them).
      stack.dao.hold();
      try (ExecutorService pool = Executors.newFixedThreadPool(limit)) {
        Future<User> first = pool.submit(() -> stack.users().profile(profile(a)).getUser());
        Future<User> second = pool.submit(() -> stack.users().profile(profile(b)).getUser());
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.dao.held() == limit);

        StatusRuntimeException excess =
            catchThrowableOfType(
                StatusRuntimeException.class, () -> stack.users().profile(profile(c)));
        StatusRuntimeException excessBatch =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () ->
                    stack.users().batchProfile(BatchProfileRequest.newBuilder().addIds(c).build()));

        assertThat(excess).as("a third concurrent bypass read is refused").isNotNull();
        assertThat(excess.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(excessBatch).isNotNull();
        assertThat(excessBatch.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(stack.counter("cache.bypass.rejections", "cache", "user_info")).isEqualTo(2);

        stack.dao.release();
        assertThat(first.get().getId()).isEqualTo(a);
        assertThat(second.get().getId()).isEqualTo(b);
      }

      // Permits are given back: the read that was refused works now.
      assertThat(stack.users().profile(profile(c)).getUser().getId()).isEqualTo(c);

      // An update commits even though the cache delete fails; the failure is counted, not returned.
      stack
          .users()
          .updateNonSensitiveInfo(
              UpdateNonSensitiveInfoRequest.newBuilder()
                  .setUser(User.newBuilder().setId(c).setNickname("offline"))
                  .build());
      assertThat(stack.counter("cache.write.failures", "cache", "user_info", "op", "delete"))
          .isEqualTo(1);
      assertThat(stack.users().profile(profile(c)).getUser().getNickname()).isEqualTo("offline");
    }
  }

  private static FindOrCreateRequest phone(String phone) {
    return FindOrCreateRequest.newBuilder().setPhone(phone).build();
  }

  private static ProfileRequest profile(long id) {
    return ProfileRequest.newBuilder().setId(id).build();
  }
}
