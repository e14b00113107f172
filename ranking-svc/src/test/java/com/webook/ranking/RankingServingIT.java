package com.webook.ranking;

import static com.webook.ranking.RankingClusterIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.webook.api.article.v1.Article;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.ranking.testing.RankingCluster;
import com.webook.ranking.testing.RankingCluster.Instance;
import com.webook.testsupport.ThrowawayRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Serving (SPEC §7.3; README "Serving") with ranking-svc as processes: the list computed from the
 * seeded sources in score order with its counters, kept while a source fails, served by an instance
 * that did not compute it, and served from the local copies while Redis is dead; {@code RankTopN}
 * on a non-leader runs the computation on the leader.
 */
class RankingServingIT {
  @Test
  void theListSurvivesAFailingSourceAndADeadRedisAndEveryInstanceServesIt() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        RankingCluster cluster = new RankingCluster(Map.of("WEBOOK_REDIS_URL", redis.url()))) {
      Instant now = Instant.now();
      List<long[]> seeded = new ArrayList<>(); // id, likes, age in minutes
      for (long id = 1; id <= 150; id++) {
        long likes = (id * 37) % 101;
        long ageMinutes = (id * 53) % (6 * 24 * 60);
        cluster.articles.publish(id, now.minus(Duration.ofMinutes(ageMinutes)));
        if (id % 10 != 0) { // every tenth article has no counters: not ranked
          cluster.counters.likes(id, likes);
          seeded.add(new long[] {id, likes, ageMinutes});
        }
      }
      Instance r1 = cluster.start("r1");
      await("a published run", Duration.ofSeconds(30), () -> published(cluster) >= 1);

      TopNResponse list = r1.topN();
      // The expected top 100 by the spec's score: (likes - 1) / (hours + 2)^1.5.
      List<Long> expected =
          seeded.stream()
              .sorted(
                  Comparator.comparingDouble(
                      (long[] a) -> -(a[1] - 1) / Math.pow(a[2] / 60.0 + 2, 1.5)))
              .limit(100)
              .map(a -> a[0])
              .toList();
      assertThat(list.getArticlesList().stream().map(Article::getId).toList())
          .as("best first, by the spec's score")
          .containsExactlyElementsOf(expected);
      Article best = list.getArticles(0);
      assertThat(best.getContent()).isEmpty();
      assertThat(best.getAbstract()).isEqualTo("abstract " + best.getId());
      assertThat(best.getAuthor().getName()).isEqualTo("author " + best.getId());
      assertThat(list.getIntrsMap().get(best.getId()).getLikeCnt())
          .isEqualTo((best.getId() * 37) % 101);

      // article-svc fails: the runs fail, the last good list stays, in Redis and served.
      String stored = cluster.storedList();
      cluster.articles.failing(true);
      long failedBefore = failed(cluster);
      await("a failed run", Duration.ofSeconds(30), () -> failed(cluster) > failedBefore);
      assertThat(cluster.storedList()).isEqualTo(stored);
      assertThat(r1.topN()).isEqualTo(list);
      cluster.articles.failing(false);

      // A fresh instance serves the list another computed (from Redis).
      Instance r2 = cluster.start("r2");
      assertThat(r2.topN()).isEqualTo(list);

      // Redis dies: both answer from their local copies, also after their copies' TTL (1 s).
      redis.kill();
      for (int i = 0; i < 30; i++) {
        assertThat(r1.topN()).isEqualTo(list);
        assertThat(r2.topN()).isEqualTo(list);
        Thread.sleep(100);
      }
    }
  }

  @Test
  void rankTopNOnAnyInstanceRunsTheComputationOnTheLeaderOnce() throws Exception {
    // No scheduled run during the test: only the forced ones.
    try (RankingCluster cluster =
        new RankingCluster(Map.of("WEBOOK_SCHEDULE_CRON", "0 0 3 1 1 ?"))) {
      cluster.articles.publish(1, Instant.now().minusSeconds(60));
      cluster.counters.likes(1, 5);
      cluster.load("r1", 10);
      cluster.load("r2", 50);
      Instance r1 = cluster.start("r1");
      Instance r2 = cluster.start("r2");
      await("r1 leads", Duration.ofSeconds(20), () -> "r1".equals(cluster.lockHolder()));
      assertThat(r2.topN().getArticlesList()).as("nothing computed yet").isEmpty();

      r2.rankTopN(); // returns once the run finished
      List<RankingCluster.Run> runs = cluster.runs();
      assertThat(runs).hasSize(1);
      assertThat(cluster.nameOf(runs.getFirst().instance())).isEqualTo("r1");
      assertThat(runs.getFirst().outcome()).isEqualTo("published");
      assertThat(r1.topN().getArticlesList()).extracting(Article::getId).containsExactly(1L);

      cluster.counters.likes(2, 50);
      cluster.articles.publish(2, Instant.now().minusSeconds(30));
      r1.rankTopN();
      assertThat(cluster.runs()).hasSize(2);
      assertThat(r1.topN().getArticlesList()).extracting(Article::getId).containsExactly(2L, 1L);
    }
  }

  private static long published(RankingCluster cluster) {
    return cluster.runs().stream().filter(r -> r.outcome().equals("published")).count();
  }

  private static long failed(RankingCluster cluster) {
    return cluster.runs().stream().filter(r -> r.outcome().equals("failed")).count();
  }
}
