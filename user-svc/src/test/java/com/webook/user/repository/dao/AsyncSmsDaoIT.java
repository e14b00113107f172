package com.webook.user.repository.dao;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.user.ItStack;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.domain.SmsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conditional updates that let several workers share async_sms, on the real MariaDB. */
class AsyncSmsDaoIT {
  private static final SmsMessage MESSAGE =
      new SmsMessage(
          "tpl-1", List.of("042917", "名字 \"quoted\""), List.of("13800001111", "+8613900002222"));
  private static ItStack stack;
  private AsyncSmsDao dao;

  @BeforeAll
  static void start() {
    stack = new ItStack("user_async_dao");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void empty() {
    dao = new AsyncSmsDao(stack.database().dsl());
    stack
        .database()
        .dsl()
        .deleteFrom(com.webook.user.repository.dao.jooq.Tables.ASYNC_SMS)
        .execute();
  }

  @Test
  void insertStoresTheMessageAsJsonAndAWaitingRow() {
    long id = dao.insert(MESSAGE, 5, 2_000, 1_000);

    AsyncSms row = dao.find(id);
    assertThat(row)
        .isEqualTo(new AsyncSms(id, MESSAGE, AsyncSmsStatus.WAITING, 0, 5, 2_000, 1_000, 1_000));
  }

  @Test
  void findDueReturnsWaitingDueRowsOldestDueFirst() {
    long later = dao.insert(MESSAGE, 5, 3_000, 0);
    long sooner = dao.insert(MESSAGE, 5, 1_000, 0);
    long notDue = dao.insert(MESSAGE, 5, 9_000, 0);
    long sending = dao.insert(MESSAGE, 5, 500, 0);
    assertThat(dao.claim(sending, 4_000)).isTrue();

    assertThat(dao.findDue(5_000, 10)).extracting(AsyncSms::id).containsExactly(sooner, later);
    assertThat(dao.findDue(5_000, 1)).extracting(AsyncSms::id).containsExactly(sooner);
    assertThat(notDue).isPositive();
  }

  @Test
  void onlyOneOfManyConcurrentClaimsWins() throws Exception {
    long id = dao.insert(MESSAGE, 5, 0, 0);
    List<Callable<Boolean>> claims = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      long now = 1_000L + i;
      claims.add(() -> dao.claim(id, now));
    }
    int won = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> f : pool.invokeAll(claims)) {
        won += f.get() ? 1 : 0;
      }
    }

    assertThat(won).isEqualTo(1);
    assertThat(dao.find(id).status()).isEqualTo(AsyncSmsStatus.SENDING);
  }

  @Test
  void aRowIsNotClaimedBeforeItIsDue() {
    long id = dao.insert(MESSAGE, 5, 2_000, 0);

    assertThat(dao.claim(id, 1_999)).isFalse();
    assertThat(dao.claim(id, 2_000)).isTrue();
  }

  @Test
  void onlyTheClaimerFinishesARow() {
    long id = dao.insert(MESSAGE, 5, 0, 0);
    assertThat(dao.claim(id, 1_000)).isTrue();

    assertThat(dao.markSent(id, 999, 1_500)).as("a stale claim time").isFalse();
    assertThat(dao.reschedule(id, 999, 1, 5_000, 1_500)).isFalse();
    assertThat(dao.markFailed(id, 999, 1, 1_500)).isFalse();
    assertThat(dao.find(id).status()).isEqualTo(AsyncSmsStatus.SENDING);

    assertThat(dao.markSent(id, 1_000, 1_500)).isTrue();
    assertThat(dao.find(id).status()).isEqualTo(AsyncSmsStatus.SENT);
    assertThat(dao.markSent(id, 1_000, 1_600)).as("already finished").isFalse();
  }

  @Test
  void rescheduleAndFailStoreTheAttempts() {
    long a = dao.insert(MESSAGE, 5, 0, 0);
    long b = dao.insert(MESSAGE, 5, 0, 0);
    dao.claim(a, 1_000);
    dao.claim(b, 1_000);

    assertThat(dao.reschedule(a, 1_000, 2, 9_000, 1_100)).isTrue();
    assertThat(dao.markFailed(b, 1_000, 5, 1_100)).isTrue();

    assertThat(dao.find(a))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(r.retryCnt()).isEqualTo(2);
              assertThat(r.nextRetryAt()).isEqualTo(9_000);
            });
    assertThat(dao.find(b))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.FAILED);
              assertThat(r.retryCnt()).isEqualTo(5);
            });
  }

  @Test
  void reclaimTakesBackOnlyRowsClaimedBeforeTheCutoff() {
    long old = dao.insert(MESSAGE, 5, 0, 0);
    long fresh = dao.insert(MESSAGE, 5, 0, 0);
    long waiting = dao.insert(MESSAGE, 5, 0, 0);
    dao.claim(old, 1_000);
    dao.claim(fresh, 5_000);

    assertThat(dao.reclaimStuck(4_000, 6_000)).isEqualTo(1);

    assertThat(dao.find(old))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(r.nextRetryAt()).isEqualTo(6_000);
            });
    assertThat(dao.find(fresh).status()).isEqualTo(AsyncSmsStatus.SENDING);
    assertThat(dao.find(waiting).utime()).isZero();
    assertThat(dao.markSent(old, 1_000, 6_100)).as("the dead claimer's claim is void").isFalse();
  }
}
