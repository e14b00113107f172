package com.webook.ranking.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.ranking.domain.Candidate;
import com.webook.ranking.domain.Counts;
import com.webook.ranking.domain.HotArticle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HotListComputerTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Published articles newest first (utime desc, id desc), like article-svc's ListPub. */
  private static final class Articles implements PublishedArticles {
    final List<Candidate> all = new ArrayList<>();
    final List<Integer> offsets = new ArrayList<>();

    Articles add(long id, Duration age) {
      all.add(new Candidate(id, "t" + id, "a" + id, 100 + id, "author" + id, NOW.minus(age)));
      all.sort(Comparator.comparing(Candidate::utime).thenComparingLong(Candidate::id).reversed());
      return this;
    }

    @Override
    public List<Candidate> page(Instant before, int offset, int limit) {
      assertThat(before).isEqualTo(NOW);
      offsets.add(offset);
      return all.stream().skip(offset).limit(limit).toList();
    }
  }

  private static class Counters implements ArticleCounters {
    final Map<Long, Counts> counts = new HashMap<>();
    final List<Integer> calls = new ArrayList<>();

    Counters likes(long id, long likes) {
      counts.put(id, new Counts(10 * likes, likes, 0));
      return this;
    }

    @Override
    public Map<Long, Counts> of(List<Long> ids) {
      calls.add(ids.size());
      Map<Long, Counts> out = new HashMap<>();
      for (long id : ids) {
        if (counts.containsKey(id)) {
          out.put(id, counts.get(id));
        }
      }
      return out;
    }
  }

  private static HotListComputer computer(Articles a, Counters c, int size, int batch) {
    return new HotListComputer(a, c, new HotListRules(size, batch, Duration.ofDays(7), 1.5), CLOCK);
  }

  private static List<Long> ids(HotListComputer.Result r) {
    return r.list().articles().stream().map(h -> h.article().id()).toList();
  }

  @Test
  void scoresAsTheSpecSaysAndOrdersBestFirst() {
    // (likes - 1) / (hours + 2)^1.5
    Articles a =
        new Articles()
            .add(1, Duration.ofHours(0)) // 10 likes, 0 h: 9 / 2^1.5  = 3.18
            .add(2, Duration.ofHours(2)) // 30 likes, 2 h: 29 / 4^1.5 = 3.625
            .add(3, Duration.ofHours(7)) // 100 likes, 7 h: 99 / 27    = 3.67
            .add(4, Duration.ofHours(23)) // 100 likes, 23 h: 99/125 = 0.79
            .add(5, Duration.ofHours(1)); // 0 likes: -1 / 3^1.5 = -0.19
    Counters c = new Counters().likes(1, 10).likes(2, 30).likes(3, 100).likes(4, 100).likes(5, 0);

    HotListComputer.Result r = computer(a, c, 10, 100).compute();

    assertThat(ids(r)).containsExactly(3L, 2L, 1L, 4L, 5L);
    HotArticle first = r.list().articles().getFirst();
    assertThat(first.score()).isCloseTo(99 / 27.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(first.counts()).isEqualTo(new Counts(1000, 100, 0));
    assertThat(first.article().authorName()).isEqualTo("author3");
    assertThat(r.list().computedAt()).isEqualTo(NOW);
    assertThat(r.scanned()).isEqualTo(5);
  }

  @Test
  void equalScoresKeepListPubOrder() {
    Articles a = new Articles();
    Counters c = new Counters();
    for (long id = 1; id <= 30; id++) {
      a.add(id, Duration.ofHours(3)); // same age: ListPub order is id desc
      c.likes(id, 5);
    }
    // Heap of 7 over pages of 4: ties must not depend on the heap's internals.
    assertThat(ids(computer(a, c, 7, 4).compute()))
        .containsExactly(30L, 29L, 28L, 27L, 26L, 25L, 24L);
  }

  @Test
  void keepsOnlyTheBestNOfManyAndSkipsArticlesWithoutCounters() {
    Articles a = new Articles();
    Counters c = new Counters();
    Random random = new Random(7);
    Map<Long, Double> scores = new HashMap<>();
    for (long id = 1; id <= 1000; id++) {
      Duration age = Duration.ofMinutes(random.nextInt(7 * 24 * 60 - 1));
      a.add(id, age);
      if (id % 3 != 0) { // a third have no counters
        long likes = random.nextInt(500);
        c.likes(id, likes);
        scores.put(id, HotScore.of(likes, age, 1.5));
      }
    }
    List<Long> expected =
        scores.entrySet().stream()
            .sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
            .limit(100)
            .map(Map.Entry::getKey)
            .toList();

    HotListComputer.Result r = computer(a, c, 100, 100).compute();

    assertThat(ids(r)).containsExactlyElementsOf(expected);
    assertThat(ids(r)).noneMatch(id -> id % 3 == 0);
    assertThat(r.scanned()).isEqualTo(1000);
    assertThat(c.calls).allMatch(n -> n <= 100).hasSize(10);
  }

  @Test
  void stopsAtTheFirstArticleOlderThanTheWindow() {
    Articles a = new Articles();
    Counters c = new Counters();
    for (long id = 1; id <= 25; id++) {
      a.add(id, Duration.ofHours(id)); // ids 1..25, newest first
      c.likes(id, 1000);
    }
    for (long id = 26; id <= 60; id++) {
      a.add(id, Duration.ofDays(8).plusHours(id)); // out of the window
      c.likes(id, 1_000_000);
    }

    HotListComputer.Result r = computer(a, c, 100, 10).compute();

    assertThat(ids(r)).hasSize(25).allMatch(id -> id <= 25);
    assertThat(a.offsets).containsExactly(0, 10, 20); // the third page reaches the window's end
    assertThat(c.calls).containsExactly(10, 10, 5);
    assertThat(r.scanned()).isEqualTo(25);
  }

  @Test
  void aShortPageEndsTheRunAndAnEmptySourceGivesAnEmptyList() {
    Articles a = new Articles().add(1, Duration.ofHours(1));
    Counters c = new Counters().likes(1, 3);
    assertThat(ids(computer(a, c, 10, 10).compute())).containsExactly(1L);
    assertThat(a.offsets).containsExactly(0);

    Articles none = new Articles();
    Counters unused = new Counters();
    assertThat(computer(none, unused, 10, 10).compute().list().articles()).isEmpty();
    assertThat(unused.calls).isEmpty();
  }

  @Test
  void aFailingSourceFailsTheRunWithNothingPartial() {
    Articles a = new Articles();
    for (long id = 1; id <= 30; id++) {
      a.add(id, Duration.ofHours(1));
    }
    Counters failing =
        new Counters() {
          @Override
          public Map<Long, Counts> of(List<Long> ids) {
            if (calls.size() == 1) {
              throw new IllegalStateException("interactive-svc down");
            }
            return super.of(ids);
          }
        };
    assertThatThrownBy(() -> computer(a, failing, 10, 10).compute())
        .hasMessageContaining("interactive-svc down");
  }
}
