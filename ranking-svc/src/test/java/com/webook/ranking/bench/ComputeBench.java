package com.webook.ranking.bench;

import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.ListPubRequest;
import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.grpc.ProtoTimestamps;
import com.webook.ranking.client.ArticleServicePublished;
import com.webook.ranking.client.InteractiveServiceCounters;
import com.webook.ranking.service.HotListComputer;
import com.webook.ranking.service.HotListRules;
import com.webook.ranking.service.PublishedArticles;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The hot list's computation over real services (issue 10): wall time and memory of {@link
 * HotListComputer#compute()} against the bare cost of the same paging without scoring, in the same
 * run. Run by {@code bench/ranking-compute.sh}; needs the local stack and the shaded jars.
 *
 * <p>user-svc, article-svc and interactive-svc run as processes from their shaded jars, each on a
 * database of its own, in an etcd namespace of their own, Redis keys under a namespace of their own
 * (caches start empty), interactive-svc on a read-event topic and group of its own (so it takes no
 * partitions from anyone else's consumers). Once they migrated, their tables are seeded with
 * batched JDBC inserts: {@code articles} published articles with utimes spread uniformly over the
 * last 7 days minus 10 minutes, plus 1 % more that are 7–8 days old (so both loops stop at the
 * window's end, not at the last page); 1 000 authors; counters for 90 % of the articles, likes
 * skewed (likes = ⌊1000·u⁴⌋, most articles a handful, a few hundreds).
 *
 * <p>Then, after an untimed warm-up of each over the first 100 pages, alternating rounds of:
 *
 * <ul>
 *   <li><b>bare</b>: {@code ListPub(start_time = now, offset, limit = 100)} and {@code GetByIds(ids
 *       of the page within the window)} page after page with the raw blocking stubs, results
 *       discarded, until an article older than 7 days or a short page;
 *   <li><b>ranking</b>: {@code HotListComputer.compute()} (N = 100, batch 100, 7 days, gravity 1.5)
 *       with ranking-svc's own clients {@link ArticleServicePublished} and {@link
 *       InteractiveServiceCounters}.
 * </ul>
 *
 * Both use the same two plain Netty channels, one to each process's port (no etcd, no balancer: the
 * computation's own cost, not discovery's). Reported per round: wall time and bytes allocated by
 * the computing thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}; the
 * blocking stubs deserialize on the calling thread, so this includes the responses' protobuf
 * objects but not Netty's pooled I/O buffers). Then an untimed <b>retained-heap probe</b>: one more
 * {@code compute()} whose article source forces a full GC before every tenth page and records the
 * heap used after it; minus the heap used after a GC just before the run, that is what the
 * computation keeps alive mid-run (heap, page, clients' state), printed at 10 %, 50 % and 100 % of
 * the pages: flat if memory is bounded by N + batch size, growing if it scaled with the articles.
 */
public final class ComputeBench {
  private static final int AUTHORS = 1_000;
  private static final int BATCH = 100;
  private static final Duration WINDOW = Duration.ofDays(7);
  private static final int WARM_UP_PAGES = 100;
  private static final Path ROOT = Path.of("").toAbsolutePath();

  private ComputeBench() {}

  public static void main(String[] args) throws Exception {
    int articles = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (Suite suite = new Suite()) {
      // Ctrl-C / SIGTERM: stop the service processes and drop the databases all the same.
      Thread hook = new Thread(suite::close, "bench-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
      long t0 = System.nanoTime();
      suite.seed(articles);
      System.out.printf(
          Locale.ROOT,
          "seeded %,d published articles (+%,d older than 7 days), %,d authors, counters for 90%%"
              + " in %.1f s%n",
          articles,
          articles / 100,
          AUTHORS,
          (System.nanoTime() - t0) / 1e9);
      ArticleServiceGrpc.ArticleServiceBlockingStub listPub =
          ArticleServiceGrpc.newBlockingStub(suite.articleChannel);
      InteractiveServiceGrpc.InteractiveServiceBlockingStub getByIds =
          InteractiveServiceGrpc.newBlockingStub(suite.intrChannel);
      HotListComputer computer =
          new HotListComputer(
              new ArticleServicePublished(suite.articleChannel),
              new InteractiveServiceCounters(suite.intrChannel),
              new HotListRules(100, BATCH, WINDOW, 1.5),
              Clock.systemUTC());

      // JIT warm-up over the first pages only: at 100 000 articles a full run takes minutes (the
      // offsets make each page dearer), and both code paths are hot after a few thousand.
      int warmPages = Math.min(articles / BATCH, WARM_UP_PAGES);
      Run warmBare = bare(listPub, getByIds, warmPages);
      Run warmRanking = ranking(truncated(suite, warmPages));
      System.out.printf(
          Locale.ROOT,
          "warm-up (first %d pages): bare %.2f s (%,d articles), ranking %.2f s (%,d scanned)%n",
          warmPages,
          warmBare.seconds,
          warmBare.articles,
          warmRanking.seconds,
          warmRanking.articles);
      double[] bareS = new double[rounds];
      double[] rankS = new double[rounds];
      double[] ratios = new double[rounds];
      long[] bareAlloc = new long[rounds];
      long[] rankAlloc = new long[rounds];
      long scanned = 0;
      for (int r = 0; r < rounds; r++) {
        Run b = bare(listPub, getByIds, Integer.MAX_VALUE);
        Run k = ranking(computer);
        bareS[r] = b.seconds;
        rankS[r] = k.seconds;
        ratios[r] = k.seconds / b.seconds;
        bareAlloc[r] = b.allocated;
        rankAlloc[r] = k.allocated;
        scanned = k.articles;
        System.out.printf(
            Locale.ROOT,
            "round %d: bare %.2f s (%,d articles, %,.0f MB allocated), ranking %.2f s (%,d scanned,"
                + " %d listed, %,.0f MB allocated): %.2fx%n",
            r + 1,
            b.seconds,
            b.articles,
            b.allocated / 1e6,
            k.seconds,
            k.articles,
            k.listed,
            k.allocated / 1e6,
            ratios[r]);
      }
      System.out.printf(
          Locale.ROOT,
          "%nmedian of %d rounds: bare %.2f s, ranking %.2f s, ratio of medians %.2fx, median of"
              + " per-round ratios %.2fx (goal <= 1.20x)%n",
          rounds,
          median(bareS),
          median(rankS),
          median(rankS) / median(bareS),
          median(ratios));
      System.out.printf(
          Locale.ROOT,
          "allocated by the computing thread per run (median): bare %,.1f MB, ranking %,.1f MB"
              + " (%,.0f bytes per article more)%n",
          median(bareAlloc) / 1e6,
          median(rankAlloc) / 1e6,
          (median(rankAlloc) - median(bareAlloc)) / (double) scanned);
      probe(suite);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  record Run(double seconds, long articles, int listed, long allocated) {}

  private static Run bare(
      ArticleServiceGrpc.ArticleServiceBlockingStub listPub,
      InteractiveServiceGrpc.InteractiveServiceBlockingStub getByIds,
      int maxPages) {
    long alloc0 = allocated();
    long t0 = System.nanoTime();
    Instant now = Instant.now();
    long oldest = now.minus(WINDOW).toEpochMilli();
    long seen = 0;
    for (int offset = 0; ; offset += BATCH) {
      List<Article> page =
          listPub
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listPub(
                  ListPubRequest.newBuilder()
                      .setStartTime(ProtoTimestamps.toTimestamp(now))
                      .setOffset(offset)
                      .setLimit(BATCH)
                      .build())
              .getArticlesList();
      List<Long> ids = new ArrayList<>(page.size());
      boolean past = false;
      for (Article a : page) {
        if (ProtoTimestamps.toInstant(a.getUtime()).toEpochMilli() < oldest) {
          past = true;
          break;
        }
        ids.add(a.getId());
      }
      if (!ids.isEmpty()) {
        getByIds
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getByIds(GetByIdsRequest.newBuilder().setBiz("article").addAllIds(ids).build());
      }
      seen += ids.size();
      if (past || page.size() < BATCH || offset / BATCH + 1 >= maxPages) {
        break;
      }
    }
    return new Run((System.nanoTime() - t0) / 1e9, seen, 0, allocated() - alloc0);
  }

  /** A computer like the measured one whose article source ends (a short page) after maxPages. */
  private static HotListComputer truncated(Suite suite, int maxPages) {
    ArticleServicePublished source = new ArticleServicePublished(suite.articleChannel);
    PublishedArticles firstPages =
        (before, offset, limit) ->
            offset / limit >= maxPages ? List.of() : source.page(before, offset, limit);
    return new HotListComputer(
        firstPages,
        new InteractiveServiceCounters(suite.intrChannel),
        new HotListRules(100, BATCH, WINDOW, 1.5),
        Clock.systemUTC());
  }

  private static Run ranking(HotListComputer computer) {
    long alloc0 = allocated();
    long t0 = System.nanoTime();
    HotListComputer.Result result = computer.compute();
    return new Run(
        (System.nanoTime() - t0) / 1e9,
        result.scanned(),
        result.list().articles().size(),
        allocated() - alloc0);
  }

  /** The retained-heap probe (class comment): one untimed compute() with GCs every tenth page. */
  private static void probe(Suite suite) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ArticleServicePublished source = new ArticleServicePublished(suite.articleChannel);
    List<long[]> samples = new ArrayList<>(); // offset, heap used after GC
    PublishedArticles probing =
        (before, offset, limit) -> {
          if (offset % (10 * BATCH) == 0) {
            System.gc();
            samples.add(new long[] {offset, memory.getHeapMemoryUsage().getUsed()});
          }
          return source.page(before, offset, limit);
        };
    HotListComputer computer =
        new HotListComputer(
            probing,
            new InteractiveServiceCounters(suite.intrChannel),
            new HotListRules(100, BATCH, WINDOW, 1.5),
            Clock.systemUTC());
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    HotListComputer.Result result = computer.compute();
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();
    // Held only to keep the list alive until the GC above: the result is part of what it retains.
    int listed = result.list().articles().size();
    long max = samples.stream().mapToLong(s -> s[1]).max().orElse(before);
    System.out.printf(
        Locale.ROOT,
        "%nretained-heap probe (a full GC before every 10th page, heap used after it, minus %.1f MB"
            + " before the run):%n",
        before / 1e6);
    int n = samples.size();
    for (int i : new int[] {n / 10, n / 2, n - 1}) {
      long[] s = samples.get(Math.max(0, i));
      System.out.printf(
          Locale.ROOT, "  after %,7d articles: %+,8.1f KB%n", s[0], (s[1] - before) / 1e3);
    }
    System.out.printf(
        Locale.ROOT,
        "  max over %d samples: %+,.1f KB; after the run, the result (%d articles) held: %+,.1f KB;"
            + " %,d articles scanned%n",
        n,
        (max - before) / 1e3,
        listed,
        (after - before) / 1e3,
        result.scanned());
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double median(long[] values) {
    return median(Arrays.stream(values).asDoubleStream().toArray());
  }

  /** The three services as processes, each on its own database (class comment). */
  static final class Suite implements AutoCloseable {
    final String namespace = "/" + TestStack.unique("bench-rank");
    final TestDatabase userDb = TestStack.newDatabase("bench_rank_user");
    final TestDatabase articleDb = TestStack.newDatabase("bench_rank_article");
    final TestDatabase intrDb = TestStack.newDatabase("bench_rank_intr");
    final String topic = TestStack.newTopic("bench-rank-read", 1);
    final String dlqTopic = TestStack.newTopic("bench-rank-read-dlq", 1);
    final List<ServiceProcess> processes = new ArrayList<>();
    final ManagedChannel articleChannel;
    final ManagedChannel intrChannel;

    Suite() {
      int articlePort;
      int intrPort;
      try {
        start("user-svc", userDb);
        articlePort = start("article-svc", articleDb);
        intrPort = start("interactive-svc", intrDb);
      } catch (RuntimeException e) {
        stopAll();
        throw e;
      }
      articleChannel =
          NettyChannelBuilder.forAddress("127.0.0.1", articlePort)
              .usePlaintext()
              .maxInboundMessageSize(16 << 20)
              .build();
      intrChannel =
          NettyChannelBuilder.forAddress("127.0.0.1", intrPort)
              .usePlaintext()
              .maxInboundMessageSize(16 << 20)
              .build();
    }

    /** Starts a module's jar on free ports and waits until it is ready; returns its gRPC port. */
    private int start(String module, TestDatabase db) {
      int port = ServiceProcess.freePort();
      int admin = ServiceProcess.freePort();
      Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
      env.put("WEBOOK_GRPC_PORT", String.valueOf(port));
      env.put("WEBOOK_ADMIN_PORT", String.valueOf(admin));
      env.put("WEBOOK_ETCD_NAMESPACE", namespace);
      env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
      env.put("WEBOOK_CACHE_KEY_NAMESPACE", namespace.substring(1) + ":");
      env.put("WEBOOK_EVENTS_TOPIC", topic);
      env.put("WEBOOK_EVENTS_DLQ_TOPIC", dlqTopic);
      env.put("WEBOOK_EVENTS_GROUP", namespace.substring(1) + "-interactive");
      ServiceProcess p =
          ServiceProcess.fromModuleJar("bench-" + module, ROOT.resolve(module))
              .env(env)
              // As `webook up` runs them (deploy/local/lib/services.sh), with C2: ServiceProcess
              // defaults to C1 only, which starts tests faster but is not what production runs.
              .jvmArg("-Xmx384m")
              .jvmArg("-XX:TieredStopAtLevel=4")
              .start();
      processes.add(p);
      p.awaitReady(admin, Duration.ofSeconds(120));
      return port;
    }

    void seed(int articles) throws Exception {
      long now = System.currentTimeMillis();
      Random random = new Random(10);
      long window = WINDOW.toMillis() - Duration.ofMinutes(10).toMillis();
      try (Connection c = connect(userDb);
          PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO users (id, email, nickname, ctime, utime) VALUES (?, ?, ?, ?, ?)")) {
        c.setAutoCommit(false);
        for (long id = 1; id <= AUTHORS; id++) {
          s.setLong(1, id);
          s.setString(2, "author" + id + "@bench.example");
          s.setString(3, "author " + id);
          s.setLong(4, now);
          s.setLong(5, now);
          s.addBatch();
        }
        s.executeBatch();
        c.commit();
      }
      int total = articles + articles / 100;
      try (Connection a = connect(articleDb);
          Connection i = connect(intrDb);
          PreparedStatement pub =
              a.prepareStatement(
                  "INSERT INTO published_articles (id, title, content, abstract, author_id,"
                      + " status, ctime, utime) VALUES (?, ?, ?, ?, ?, 2, ?, ?)");
          PreparedStatement intr =
              i.prepareStatement(
                  "INSERT INTO interactives (biz, biz_id, read_cnt, like_cnt, collect_cnt, ctime,"
                      + " utime) VALUES ('article', ?, ?, ?, ?, ?, ?)")) {
        a.setAutoCommit(false);
        i.setAutoCommit(false);
        for (long id = 1; id <= total; id++) {
          // The last 1 %: 7-8 days old, past the window.
          long utime =
              id <= articles
                  ? now - (long) (random.nextDouble() * window)
                  : now - WINDOW.toMillis() - (long) (random.nextDouble() * 86_400_000L);
          String text =
              "Article " + id + ": a few sentences of a published article, as a list shows them.";
          pub.setLong(1, id);
          pub.setString(2, "title " + id);
          pub.setString(3, "<p>" + text + "</p>");
          pub.setString(4, text);
          pub.setLong(5, 1 + id % AUTHORS);
          pub.setLong(6, utime);
          pub.setLong(7, utime);
          pub.addBatch();
          if (random.nextInt(10) != 0) {
            double u = random.nextDouble();
            long likes = (long) (1000 * u * u * u * u);
            intr.setLong(1, id);
            intr.setLong(2, likes * 10 + random.nextInt(50));
            intr.setLong(3, likes);
            intr.setLong(4, likes / 10);
            intr.setLong(5, utime);
            intr.setLong(6, utime);
            intr.addBatch();
          }
          if (id % 2_000 == 0 || id == total) {
            pub.executeBatch();
            intr.executeBatch();
            a.commit();
            i.commit();
          }
        }
      }
    }

    private static Connection connect(TestDatabase db) throws Exception {
      return DriverManager.getConnection(
          db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
    }

    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (articleChannel != null) {
        articleChannel.shutdownNow();
      }
      if (intrChannel != null) {
        intrChannel.shutdownNow();
      }
      stopAll();
    }

    private void stopAll() {
      for (ServiceProcess p : processes) {
        p.terminate();
      }
      for (ServiceProcess p : processes) {
        try {
          p.waitForExit(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
          p.kill();
        }
        p.close();
      }
      userDb.close();
      articleDb.close();
      intrDb.close();
    }
  }
}
