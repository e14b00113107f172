package com.webook.user;

import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import com.webook.user.config.UserConfig;
import com.webook.user.grpc.CodeGrpcService;
import com.webook.user.grpc.Oauth2GrpcService;
import com.webook.user.grpc.SmsGrpcService;
import com.webook.user.grpc.UserGrpcService;
import com.webook.user.repository.CachedUserRepository;
import com.webook.user.repository.cache.CodeCache;
import com.webook.user.repository.cache.UserCache;
import com.webook.user.repository.dao.AsyncSmsDao;
import com.webook.user.repository.dao.UserDao;
import com.webook.user.service.BcryptPasswordHasher;
import com.webook.user.service.CodeService;
import com.webook.user.service.SmsService;
import com.webook.user.service.UserService;
import com.webook.user.service.WechatOAuth2Service;
import com.webook.user.service.sms.SmsStack;
import com.webook.user.service.sms.SmsStackFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * user-svc: main and composition root. {@link #wire} is the only code that knows every class; both
 * {@link #main} and the tests' in-process stack build the service through it.
 */
public final class UserApp {
  private static final Logger log = LoggerFactory.getLogger(UserApp.class);

  private UserApp() {}

  public static void main(String[] args) {
    Startup.run(
        "user-svc",
        () -> {
          UserConfig config = new ConfigLoader().load(UserConfig.class, args);
          ServiceHost host = ServiceHost.forProcess("user-svc", config);
          host.serve(wire(config, host, UserDao::new));
        });
  }

  /**
   * Builds user-svc on {@code host}: connects its database and Redis (within the start budget),
   * builds the repositories, services and SMS stack, registers what must stop with the host, and
   * returns what the gRPC server serves.
   *
   * @param userDao how the user DAO is made from the database (tests pass a controllable one)
   */
  public static Consumer<GrpcServer.Builder> wire(
      UserConfig config, ServiceHost host, Function<DSLContext, UserDao> userDao) {
    PrometheusMeterRegistry metrics = host.metrics();
    Clock clock = host.clock();
    Database db = host.database(config.mysql());
    Redis redis = host.redis(config.redis());

    UserCache userCache =
        new UserCache(
            redis.connection(),
            config.cache().profileTtl(),
            config.cache().keyNamespace(),
            config.redis().commandTimeout(),
            metrics);
    CachedUserRepository userRepository =
        new CachedUserRepository(
            userDao.apply(db.dsl()), userCache, config.cache().bypassConcurrency(), metrics);
    UserService userService =
        new UserService(
            userRepository, new BcryptPasswordHasher(config.user().bcryptCost()), clock);

    if (config.wechat().usesDevSecret()) {
      log.warn(
          "wechat.appSecret is the dev placeholder: WeChat login cannot work; set WEBOOK_WECHAT_APP_SECRET");
    }
    HttpClient wechatHttp =
        host.onStop(HttpClient.newBuilder().connectTimeout(config.wechat().timeout()).build());
    WechatOAuth2Service wechat = new WechatOAuth2Service(config.wechat(), wechatHttp);

    SmsStack sms =
        host.onStop(
            new SmsStackFactory(clock, metrics, redis.connection(), new AsyncSmsDao(db.dsl()), null)
                .build(config.sms()));
    SmsService smsService = new SmsService(sms.sender());
    CodeService codeService =
        new CodeService(
            new CodeCache(redis.connection(), config.code()),
            smsService,
            config.code().templateId(),
            new SecureRandom());
    ScheduledExecutorService smsWorker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sms-async-worker").daemon().factory());
    // Closed before the providers (reverse order): the worker stops taking rows and finishes its
    // send.
    host.onStop(
        () -> {
          sms.stopWorker();
          smsWorker.shutdown();
          if (!smsWorker.awaitTermination(
              config.sms().async().stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            smsWorker.shutdownNow();
          }
        });
    host.afterStart(() -> sms.start(smsWorker));

    return server ->
        server
            .addService(new UserGrpcService(userService, clock))
            .addService(new CodeGrpcService(codeService))
            .addService(new SmsGrpcService(smsService))
            .addService(new Oauth2GrpcService(wechat));
  }
}
