package com.webook.ranking.service;

import com.webook.platform.errors.UnavailableException;
import com.webook.ranking.domain.HotList;
import com.webook.ranking.domain.RunRecord;
import com.webook.ranking.repository.HotListRepository;
import com.webook.ranking.repository.dao.RankingRunDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The two RPCs' logic: the current list (cache-first, {@link HotListRepository}) and a forced
 * computation. A forced run goes through the same path as a scheduled one — the job row is made due
 * now, and the leader's scheduler takes it — so "one computation at a time, results fenced" holds
 * for it too, whichever instance the caller reached. Thread-safe.
 */
public final class HotListService {
  private static final Duration POLL = Duration.ofMillis(200);

  private final HotListRepository lists;
  private final RankingRunDao runs;
  private final String jobName;
  private final Clock clock;

  public HotListService(HotListRepository lists, RankingRunDao runs, String jobName, Clock clock) {
    this.lists = lists;
    this.runs = runs;
    this.jobName = jobName;
    this.clock = clock;
  }

  public HotList topN() {
    return lists.current();
  }

  /**
   * Asks for a computation that starts now or later and waits (at most {@code maxWait}) for it to
   * finish; its record says how it ended.
   *
   * @throws UnavailableException when the job is paused or absent, or no run finished in time (no
   *     leader: every instance down or unable to reach Redis)
   */
  public RunRecord rankNow(Duration maxWait) throws InterruptedException {
    Instant asked = clock.instant();
    Instant deadline = asked.plus(maxWait);
    while (true) {
      // Records first, then the row: a run records itself before it releases the row, so once the
      // row waits again either our run is recorded or it has yet to be made due.
      List<RunRecord> since = runs.startedSince(asked);
      if (!since.isEmpty()) {
        return since.getFirst();
      }
      if (!runs.makeDue(jobName, asked)) {
        throw new UnavailableException("the ranking job is paused or not defined");
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new UnavailableException(
            "no hot-list computation finished within " + maxWait.toSeconds() + " s (no leader?)");
      }
      Thread.sleep(POLL);
    }
  }
}
