package com.webook.interactive.service;

import com.webook.interactive.domain.Counts;
import com.webook.interactive.domain.Interactive;
import com.webook.interactive.domain.UserState;
import com.webook.interactive.repository.CachedInteractiveRepository;
import com.webook.platform.errors.UnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The rules of SPEC §6.2 over the repository: likes, cancellations and collects (idempotent; the
 * database decides whether a counter moves), and the counters with one user's state. Inputs were
 * checked by the gRPC layer. Thread-safe.
 */
public final class InteractiveService {
  private final CachedInteractiveRepository repository;
  private final ExecutorService userStateLookups;
  private final Clock clock;

  /**
   * @param userStateLookups runs a {@link #get}'s user-state query while the caller loads the
   *     counters (virtual threads; owned and shut down by the composition root)
   */
  public InteractiveService(
      CachedInteractiveRepository repository, ExecutorService userStateLookups, Clock clock) {
    this.repository = repository;
    this.userStateLookups = userStateLookups;
    this.clock = clock;
  }

  /** One read of the item (the RPC; read events arrive in batches through Kafka instead). */
  public void addRead(String biz, long bizId) {
    repository.addRead(biz, bizId, clock.millis());
  }

  /** {@code uid} likes the item; liking again changes nothing. */
  public void like(String biz, long bizId, long uid) {
    repository.like(biz, bizId, uid, clock.millis());
  }

  /** {@code uid} no longer likes the item; without a like, nothing changes. */
  public void cancelLike(String biz, long bizId, long uid) {
    repository.cancelLike(biz, bizId, uid, clock.millis());
  }

  /** {@code uid} collects the item into folder {@code cid} (0: default); again: no change. */
  public void collect(String biz, long bizId, long uid, long cid) {
    repository.collect(biz, bizId, uid, cid, clock.millis());
  }

  /**
   * The item's counters and, for {@code uid} > 0, whether they like and collected it; the user
   * state is read concurrently with the counters. Anonymous ({@code uid} 0): false, false.
   */
  public Interactive get(String biz, long bizId, long uid) {
    CompletableFuture<UserState> state =
        uid == 0
            ? CompletableFuture.completedFuture(UserState.NONE)
            : CompletableFuture.supplyAsync(
                () -> repository.userState(biz, bizId, uid), userStateLookups);
    Counts counts;
    try {
      counts = repository.counts(biz, bizId);
    } catch (RuntimeException e) {
      state.cancel(false);
      throw e;
    }
    UserState user;
    try {
      user = state.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new UnavailableException("user state lookup failed", e.getCause());
    }
    return new Interactive(biz, bizId, counts, user.liked(), user.collected());
  }

  /** The counters of every id in {@code ids} (distinct), zeros for those never counted. */
  public Map<Long, Counts> getByIds(String biz, List<Long> ids) {
    return repository.counts(biz, ids);
  }
}
