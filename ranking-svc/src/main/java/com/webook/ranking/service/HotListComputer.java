package com.webook.ranking.service;

import com.webook.ranking.domain.Candidate;
import com.webook.ranking.domain.Counts;
import com.webook.ranking.domain.HotArticle;
import com.webook.ranking.domain.HotList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Computes the hot list (SPEC §7.1): pages through the published articles newest first, {@code
 * batchSize} at a time, asks for each page's counters in one call, and keeps the best {@code size}
 * in a min-heap whose top is the worst kept — so memory is bounded by {@code size + batchSize},
 * whatever the number of articles. Stops at the first article older than the window (pages are
 * newest first, so all later ones are older) or at a short page.
 *
 * <p>Articles without counters are skipped (nobody read, liked or collected them). Equal scores
 * keep ListPub's order (newer first, then higher id): each candidate carries its position, and the
 * heap breaks ties by it, so the result does not depend on the heap's internals.
 *
 * <p>All pages are read with one {@code before} bound, the run's start: articles published during
 * the run do not shift the offsets. An article re-published during the run moves to the front (its
 * utime changes) and may be missed by this run; the next run sees it. Thread-safe (no state).
 */
public final class HotListComputer {
  /** The heap's order: the worst first (lowest score; among equals, the later in ListPub). */
  private static final Comparator<Ranked> WORST_FIRST =
      Comparator.comparingDouble(Ranked::score)
          .thenComparing(Ranked::position, Comparator.reverseOrder());

  private final PublishedArticles articles;
  private final ArticleCounters counters;
  private final HotListRules rules;
  private final Clock clock;

  public HotListComputer(
      PublishedArticles articles, ArticleCounters counters, HotListRules rules, Clock clock) {
    this.articles = articles;
    this.counters = counters;
    this.rules = rules;
    this.clock = clock;
  }

  /** One full computation; any failure of a source fails it (nothing partial is returned). */
  public Result compute() {
    Instant now = clock.instant();
    Instant oldest = now.minus(rules.window());
    PriorityQueue<Ranked> best = new PriorityQueue<>(rules.size() + 1, WORST_FIRST);
    long position = 0;
    long scanned = 0;
    for (int offset = 0; ; offset += rules.batchSize()) {
      List<Candidate> page = articles.page(now, offset, rules.batchSize());
      List<Long> ids = new ArrayList<>(page.size());
      boolean pastWindow = false;
      for (Candidate c : page) {
        if (c.utime().isBefore(oldest)) {
          pastWindow = true;
          break;
        }
        ids.add(c.id());
      }
      Map<Long, Counts> counts = ids.isEmpty() ? Map.of() : counters.of(ids);
      for (int i = 0; i < ids.size(); i++) {
        Candidate c = page.get(i);
        scanned++;
        Counts n = counts.get(c.id());
        if (n == null) {
          continue;
        }
        Ranked r =
            new Ranked(
                c,
                n,
                HotScore.of(n.likes(), Duration.between(c.utime(), now), rules.gravity()),
                position++);
        if (best.size() < rules.size()) {
          best.add(r);
        } else if (WORST_FIRST.compare(r, best.peek()) > 0) {
          best.poll();
          best.add(r);
        }
      }
      if (pastWindow || page.size() < rules.batchSize()) {
        break;
      }
    }
    List<Ranked> ordered = new ArrayList<>(best);
    ordered.sort(WORST_FIRST.reversed());
    List<HotArticle> list = new ArrayList<>(ordered.size());
    for (Ranked r : ordered) {
      list.add(new HotArticle(r.article(), r.counts(), r.score()));
    }
    return new Result(new HotList(list, now), scanned);
  }

  /** The list and how many articles in the window were looked at. */
  public record Result(HotList list, long scanned) {}

  private record Ranked(Candidate article, Counts counts, double score, long position) {}
}
