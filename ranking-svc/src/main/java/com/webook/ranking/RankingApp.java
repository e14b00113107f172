package com.webook.ranking;

import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.job.JobScheduler;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import com.webook.ranking.client.ArticleServicePublished;
import com.webook.ranking.client.InteractiveServiceCounters;
import com.webook.ranking.grpc.RankingGrpcService;
import com.webook.ranking.job.LoadAwareLeadership;
import com.webook.ranking.job.ProcessLoad;
import com.webook.ranking.job.RankingJob;
import com.webook.ranking.job.ScheduleConfig;
import com.webook.ranking.repository.HotListRepository;
import com.webook.ranking.repository.cache.HotListCache;
import com.webook.ranking.repository.dao.RankingRunDao;
import com.webook.ranking.service.HotListComputer;
import com.webook.ranking.service.HotListService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * ranking-svc: main and composition root. {@link #wire} is the only code that knows every class;
 * {@link #main} and in-process tests build the service through it.
 */
public final class RankingApp {
  private RankingApp() {}

  public static void main(String[] args) {
    Startup.run(
        "ranking-svc",
        () -> {
          RankingConfig config = new ConfigLoader().load(RankingConfig.class, args);
          ServiceHost host = ServiceHost.forProcess("ranking-svc", config);
          host.serve(wire(config, host));
        });
  }

  /**
   * Builds ranking-svc on {@code host}: its database (migrated) and Redis within the start budget,
   * the channels to article-svc and interactive-svc, the served list, the leadership and the job
   * scheduler (both started once the service serves), and returns what the gRPC server serves.
   */
  public static Consumer<GrpcServer.Builder> wire(RankingConfig config, ServiceHost host) {
    PrometheusMeterRegistry metrics = host.metrics();
    Clock clock = host.clock();
    Database db = host.database(config.mysql());
    Redis redis = host.redis(config.redis());
    String instance = config.grpc().advertiseHost() + ":" + config.grpc().port();

    HotListComputer computer =
        new HotListComputer(
            new ArticleServicePublished(host.channel("article")),
            new InteractiveServiceCounters(host.channel("interactive")),
            config.hotList(),
            clock);
    // Background refreshes of the local copy: virtual threads, closed with the host before Redis.
    ExecutorService refreshes =
        host.onStop(
            Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("ranking-topn-refresh-", 0).factory()));
    HotListRepository lists =
        new HotListRepository(
            new HotListCache(
                redis.connection(), config.serving().keyPrefix(), config.serving().redisTimeout()),
            config.serving().localTtl(),
            refreshes,
            metrics);
    host.addReadinessCheck(
        ReadinessCheck.of(
            "hot-list",
            () ->
                lists.loaded()
                    ? ReadinessCheck.Result.ok("loaded")
                    : ReadinessCheck.Result.down("not loaded from Redis yet")));
    RankingRunDao runs = new RankingRunDao(db.dsl());

    // Registered after the database and Redis, so on stop they close first, in reverse: the
    // scheduler (its run finishes or is interrupted, the row released), then the leadership (the
    // lock released at once, so another instance takes over without waiting out the TTL).
    ScheduleConfig schedule = config.schedule();
    ScheduledExecutorService leadershipTimer =
        host.onStop(
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ranking-leadership").daemon().factory()));
    LoadAwareLeadership leadership =
        host.onStop(
            new LoadAwareLeadership(
                redis.connection(),
                schedule.leadership(),
                instance,
                new ProcessLoad(schedule.leadership().loadFile()),
                clock,
                metrics,
                leadershipTimer));
    RankingJob job = new RankingJob(computer, lists, leadership, runs, instance, clock, metrics);
    JobScheduler scheduler =
        host.onStop(
            new JobScheduler(
                db.dsl(),
                schedule.jobs(),
                clock,
                metrics,
                instance,
                leadership::isLeader,
                Map.of(ScheduleConfig.EXECUTOR, job),
                Thread.ofPlatform().name("ranking-jobs-", 0).factory()));
    scheduler.define(schedule.definition());
    host.afterStart(
        () -> {
          leadership.start();
          scheduler.start();
        });

    HotListService service = new HotListService(lists, runs, schedule.job(), clock);
    return server ->
        server.addService(new RankingGrpcService(service, config.serving().maxForceWait()));
  }
}
