package com.webook.system;

import com.sun.net.httpserver.HttpServer;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real thing, small: user-svc, article-svc, interactive-svc and ranking-svc instances and the
 * BFF, each started from its own shaded jar (what production runs), finding each other through etcd
 * under a namespace no other test or developer uses, on the shared MariaDB (a database of its own
 * per service), Redis (keys under the namespace where a service has {@code cache.keyNamespace}) and
 * Kafka. A fake WeChat API in this JVM answers the code exchange.
 *
 * <p>The BFF is ready only once every channel it calls has a connected instance (SPEC §2.5), so a
 * test starts one instance of each service before {@link #startBff}.
 */
final class WebookCluster implements AutoCloseable {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  final String namespace = "/" + TestStack.unique("e2e");
  final TestDatabase userDb = TestStack.newDatabase("e2e_user");
  final TestDatabase articleDb = TestStack.newDatabase("e2e_article");
  final TestDatabase interactiveDb = TestStack.newDatabase("e2e_intr");
  final TestDatabase rankingDb = TestStack.newDatabase("e2e_ranking");

  /**
   * This cluster's read events: article-svc produces to it and interactive-svc consumes it in a
   * group of its own, so no other test's consumers take this cluster's partitions (or events).
   */
  final String readTopic = TestStack.newTopic("e2e-read", 3);

  final String readDlqTopic = TestStack.newTopic("e2e-read-dlq", 1);
  final List<Instance> users = new CopyOnWriteArrayList<>();
  final List<Instance> articles = new CopyOnWriteArrayList<>();
  final List<Instance> interactives = new CopyOnWriteArrayList<>();
  final List<Instance> rankings = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger started =
      new java.util.concurrent.atomic.AtomicInteger();
  Instance bff;
  private HttpServer wechat;

  record Instance(String name, int port, int admin, ServiceProcess process) {}

  /** Starts the fake WeChat API: code {@code c-<openid>} → that openid. */
  WebookCluster startWechat() {
    try {
      wechat = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    wechat.createContext(
        "/sns/oauth2/access_token",
        ex -> {
          Matcher m =
              Pattern.compile("(?:^|&)code=([^&]*)").matcher(ex.getRequestURI().getRawQuery());
          String code = m.find() ? m.group(1) : "";
          String body =
              code.startsWith("c-")
                  ? "{\"access_token\":\"at\",\"expires_in\":7200,\"openid\":\""
                      + code.substring(2)
                      + "\",\"unionid\":\"u-"
                      + code.substring(2)
                      + "\"}"
                  : "{\"errcode\":40029,\"errmsg\":\"invalid code\"}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    wechat.start();
    return this;
  }

  Instance startUserSvc() {
    return startUserSvc(Map.of());
  }

  Instance startUserSvc(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("WEBOOK_WECHAT_API_BASE_URL", "http://127.0.0.1:" + wechat.getAddress().getPort());
    env.put("WEBOOK_USER_BCRYPT_COST", "4");
    env.putAll(extraEnv);
    return startService("user-svc", userDb, env, users);
  }

  /**
   * One article-svc (its Kafka producer on the stack's cluster; it finds user-svc through this
   * cluster's etcd namespace, like the BFF).
   */
  Instance startArticleSvc() {
    return startService("article-svc", articleDb, Map.of(), articles);
  }

  /** One interactive-svc (its Kafka consumer on the stack's cluster). */
  Instance startInteractiveSvc() {
    return startService("interactive-svc", interactiveDb, Map.of(), interactives);
  }

  /**
   * One ranking-svc (it reads article-svc and interactive-svc through this cluster's etcd
   * namespace): its Redis keys under the namespace, and a 2 s period with short leadership and job
   * intervals, so the hot list follows the test's likes within seconds.
   */
  Instance startRankingSvc() {
    String keys = namespace.substring(1) + ":";
    Map<String, String> env = new HashMap<>();
    env.put("WEBOOK_SERVING_KEY_PREFIX", keys);
    env.put("WEBOOK_SERVING_LOCAL_TTL", "1s");
    env.put("WEBOOK_SCHEDULE_CRON", "0/2 * * * * ?");
    env.put("WEBOOK_SCHEDULE_JOBS_POLL_INTERVAL", "200ms");
    env.put("WEBOOK_SCHEDULE_JOBS_RENEW_INTERVAL", "1s");
    env.put("WEBOOK_SCHEDULE_LEADERSHIP_LOCK_KEY", keys + "lock:ranking:topN");
    env.put("WEBOOK_SCHEDULE_LEADERSHIP_LOCK_TTL", "3s");
    env.put("WEBOOK_SCHEDULE_LEADERSHIP_LOAD_INTERVAL", "500ms");
    return startService("ranking-svc", rankingDb, env, rankings);
  }

  /**
   * Starts the service of module {@code module} from its jar, on free ports, with its own database,
   * this cluster's etcd namespace and key namespace, and waits until it is ready.
   */
  private Instance startService(
      String module, TestDatabase db, Map<String, String> extraEnv, List<Instance> instances) {
    int port = ServiceProcess.freePort();
    int admin = ServiceProcess.freePort();
    String name = module + "-" + started.incrementAndGet();
    // serviceEnv: etcd, MariaDB (the service's own database), Redis and Kafka of the stack.
    Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
    env.putAll(
        Map.of(
            "WEBOOK_GRPC_PORT",
            String.valueOf(port),
            "WEBOOK_ADMIN_PORT",
            String.valueOf(admin),
            "WEBOOK_ETCD_NAMESPACE",
            namespace,
            "WEBOOK_REGISTRY_LEASE_TTL",
            "5s",
            "WEBOOK_GRPC_DRAIN_WINDOW",
            "1s",
            // Keeps this cluster's Redis keys apart from every other test's. A service without a
            // cache.keyNamespace key ignores it (only existing keys can be overridden).
            "WEBOOK_CACHE_KEY_NAMESPACE",
            namespace.substring(1) + ":"));
    // Read events (article-svc's events.topic; interactive-svc's events.*): keys a service does
    // not have are ignored, like the cache namespace above.
    env.put("WEBOOK_EVENTS_TOPIC", readTopic);
    env.put("WEBOOK_EVENTS_DLQ_TOPIC", readDlqTopic);
    env.put("WEBOOK_EVENTS_GROUP", namespace.substring(1) + "-interactive");
    env.putAll(extraEnv);
    ServiceProcess p = ServiceProcess.fromModuleJar(name, ROOT.resolve(module)).env(env).start();
    p.awaitReady(admin, Duration.ofSeconds(90));
    Instance i = new Instance(name, port, admin, p);
    instances.add(i);
    return i;
  }

  Instance startBff(Map<String, String> extraEnv) {
    int port = ServiceProcess.freePort();
    int admin = ServiceProcess.freePort();
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "WEBOOK_HTTP_PORT", String.valueOf(port),
                "WEBOOK_ADMIN_PORT", String.valueOf(admin),
                "WEBOOK_ETCD_ENDPOINTS", TestStack.etcdEndpoints(),
                "WEBOOK_ETCD_NAMESPACE", namespace,
                "WEBOOK_REDIS_URL", TestStack.redisUrl(),
                "WEBOOK_HTTP_TRUST_FORWARDED_FOR", "true"));
    env.putAll(extraEnv);
    ServiceProcess p =
        ServiceProcess.fromModuleJar("bff", ROOT.resolve("bff-gateway")).env(env).start();
    // Ready = Redis answers and user-svc, article-svc and interactive-svc are connected.
    p.awaitReady(admin, Duration.ofSeconds(90));
    bff = new Instance("bff", port, admin, p);
    return bff;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + bff.port();
  }

  /**
   * SIGSTOP ({@code freeze}) or SIGCONT: a frozen process keeps its sockets and its etcd lease
   * (until the lease runs out) but answers nothing, like a process stuck in a long GC pause or a
   * hung host.
   */
  static void signal(Instance instance, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, String.valueOf(instance.process().pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException(
            "kill -"
                + signal
                + " "
                + instance.name()
                + " failed: "
                + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Prometheus text of an instance's admin port. */
  static String metrics(Instance instance) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + instance.admin() + "/metrics"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sum of the samples of {@code metric} whose labels contain all of {@code labels}. */
  static double sample(String prometheusText, String metric, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$")
            .matcher(prometheusText);
    double total = 0;
    while (m.find()) {
      boolean all = true;
      for (String label : labels) {
        all &= m.group(1).contains(label);
      }
      if (all) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  /** Whether {@code prometheusText} has a sample of {@code metric} with all of {@code labels}. */
  static boolean hasSample(String prometheusText, String metric, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$")
            .matcher(prometheusText);
    while (m.find()) {
      String found = m.group(1);
      if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
        return true;
      }
    }
    return false;
  }

  /** Profile calls (request messages) an instance of user-svc has received. */
  static double profileCalls(Instance u) {
    return sample(metrics(u), "grpc_server_requests_received_messages_total", "method=\"Profile\"");
  }

  /** The last code the log SMS provider delivered to {@code phone}, from any user-svc instance. */
  String lastCodeSentTo(String phone) {
    Pattern p =
        Pattern.compile(
            "sms\\.delivered provider=\\S+ tpl=\\S+ to=\\[" + phone + "\\] args=\\[(\\d{6})\\]");
    String code = null;
    for (Instance i : users) {
      Matcher m = p.matcher(i.process().log());
      while (m.find()) {
        code = m.group(1);
      }
    }
    return code;
  }

  @Override
  public void close() {
    if (bff != null) {
      bff.process().close();
    }
    // Callers first (article-svc calls user-svc), so no process logs its callee going away.
    rankings.forEach(r -> r.process().close());
    articles.forEach(a -> a.process().close());
    interactives.forEach(i -> i.process().close());
    users.forEach(u -> u.process().close());
    if (wechat != null) {
      wechat.stop(0);
    }
    userDb.close();
    articleDb.close();
    interactiveDb.close();
    rankingDb.close();
  }
}
