package com.webook.bff;

import static com.webook.bff.web.Access.LOGGED_IN;
import static com.webook.bff.web.Access.PUBLIC;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.webook.bff.config.BffConfig;
import com.webook.bff.jwt.JwtTokens;
import com.webook.bff.jwt.StateTokens;
import com.webook.bff.web.Access;
import com.webook.bff.web.AccessLog;
import com.webook.bff.web.ArticleHandler;
import com.webook.bff.web.BodySizeLimit;
import com.webook.bff.web.ClientIp;
import com.webook.bff.web.CorsFilter;
import com.webook.bff.web.Degradation;
import com.webook.bff.web.ErrorMapping;
import com.webook.bff.web.HttpMetrics;
import com.webook.bff.web.InteractionHandler;
import com.webook.bff.web.IpRateLimit;
import com.webook.bff.web.Json;
import com.webook.bff.web.LoginTokens;
import com.webook.bff.web.RankingHandler;
import com.webook.bff.web.RequestIds;
import com.webook.bff.web.Responses;
import com.webook.bff.web.SecretMasking;
import com.webook.bff.web.SystemError;
import com.webook.bff.web.UserHandler;
import com.webook.bff.web.VoTime;
import com.webook.bff.web.WechatHandler;
import com.webook.platform.routing.RouteGroup;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Every HTTP route and filter of the BFF, declared in one place (SPEC §2), and the factory that
 * builds the HTTP server from its {@link Backends}. {@link BffApp} and the tests both start the BFF
 * through {@link #create}.
 */
public final class HttpApi {
  /** The two routes whose bodies carry an article: up to {@code http.maxArticleRequestBytes}. */
  static final String ARTICLE_EDIT = "/articles/edit";

  static final String ARTICLE_PUBLISH = "/articles/publish";

  private HttpApi() {}

  /**
   * A Javalin server (not started) serving the API with {@code backends}.
   *
   * @param background where work off the request path runs (the hot list's refreshes); owned and
   *     shut down by the caller
   */
  public static Javalin create(
      BffConfig config,
      Backends backends,
      MeterRegistry metrics,
      Clock clock,
      Executor background) {
    Json json = new Json();
    VoTime time = new VoTime(config.http().zoneId());
    ClientIp clientIp = new ClientIp(config.http().trustForwardedFor());
    LoginTokens tokens =
        new LoginTokens(new JwtTokens(config.jwt(), clock), backends.sessions(), metrics);
    UserHandler users =
        new UserHandler(backends.users(), backends.codes(), tokens, json, time, clock);
    WechatHandler wechat =
        new WechatHandler(
            backends.wechat(),
            backends.users(),
            tokens,
            new StateTokens(config.wechat(), clock),
            config.wechat().secureCookie(),
            json);
    ArticleHandler articles =
        new ArticleHandler(
            backends.articles(),
            backends.interactive(),
            json,
            time,
            config.articles().countersTimeout(),
            new Degradation(
                metrics,
                clock,
                config.articles().degradedLogInterval(),
                ArticleHandler.DEGRADATIONS));
    InteractionHandler interactions = new InteractionHandler(backends.interactive(), json);
    RankingHandler ranking =
        new RankingHandler(
            backends.ranking(),
            json,
            time,
            config.ranking().refreshAfter(),
            background,
            clock,
            new Degradation(
                metrics,
                clock,
                config.ranking().degradedLogInterval(),
                RankingHandler.DEGRADATIONS),
            config.ranking().degradedLogInterval(),
            metrics);
    CorsFilter cors = new CorsFilter(config.cors());
    BodySizeLimit bodySize =
        new BodySizeLimit(config.http().maxRequestBytes(), config.http().maxDiscardBytes());
    IpRateLimit ipRateLimit =
        new IpRateLimit(backends.limiter(), clientIp, config.rateLimit().allowOnError(), metrics);
    ErrorMapping errors = new ErrorMapping(json);
    AccessLog accessLog =
        new AccessLog(config.accessLog(), clientIp, new SecretMasking(json.mapper()));
    HttpMetrics httpMetrics = new HttpMetrics(metrics);

    return Javalin.create(
        cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          // Javalin's one limit, for bodies read without a Content-Length: the largest route cap
          // (BodySizeLimit holds each route to its own).
          cfg.http.maxRequestSize = config.http().maxArticleRequestBytes();
          cfg.startup.showJavalinBanner = false;
          // Runs for every request, also those stopped by a filter: the access log and the timer.
          cfg.requestLogger.http(
              (ctx, ms) -> {
                accessLog.log(ctx, ms);
                httpMetrics.record(ctx, ms);
              });

          RoutesConfig routes = cfg.routes;
          // Filters, in this order, on every request. A preflight is answered by the CORS filter;
          // the login check runs only for matched routes (unknown paths get their 404).
          routes.before(RequestIds::assign);
          routes.before(cors);
          // Bodies up to http.maxRequestBytes, but an article write carries up to 1 MiB of
          // content, more once JSON-escaped: these two path filters run first and raise the cap.
          routes.before(ARTICLE_EDIT, bodySize.raisedTo(config.http().maxArticleRequestBytes()));
          routes.before(ARTICLE_PUBLISH, bodySize.raisedTo(config.http().maxArticleRequestBytes()));
          routes.before(bodySize);
          // The session check's Redis command goes out with the limit's (LoginTokens).
          routes.before(tokens::prefetchSession);
          routes.before(ipRateLimit);
          routes.before(bodySize::readUpFront);
          routes.beforeMatched(tokens::requireLogin);

          // Javalin maps HttpResponseException (404, 413, 429 …) itself unless told otherwise.
          routes.exception(HttpResponseException.class, errors::handle);
          routes.exception(Exception.class, errors::handle);

          //     method path                            access     system error          handler
          route(
              routes,
              GET,
              "/hello",
              PUBLIC,
              SystemError.GENERIC,
              ctx -> Responses.text(ctx, "hello"));
          route(routes, POST, "/users/signup", PUBLIC, SystemError.USER, users::signup);
          route(routes, POST, "/users/login", PUBLIC, SystemError.USER, users::login);
          route(
              routes,
              POST,
              "/users/login_sms/code/send",
              PUBLIC,
              SystemError.GENERIC,
              users::sendLoginCode);
          route(routes, POST, "/users/login_sms", PUBLIC, SystemError.GENERIC, users::loginSms);
          route(
              routes,
              POST,
              "/users/refresh_token",
              PUBLIC,
              SystemError.GENERIC,
              users::refreshToken);
          route(routes, POST, "/users/logout", LOGGED_IN, SystemError.GENERIC, users::logout);
          route(routes, POST, "/users/edit", LOGGED_IN, SystemError.GENERIC, users::edit);
          route(routes, GET, "/users/profile", LOGGED_IN, SystemError.USER, users::profile);
          route(
              routes, GET, "/oauth2/wechat/authurl", PUBLIC, SystemError.GENERIC, wechat::authUrl);
          route(
              routes,
              GET,
              "/oauth2/wechat/callback",
              PUBLIC,
              SystemError.GENERIC,
              wechat::callback);
          route(routes, POST, ARTICLE_EDIT, LOGGED_IN, SystemError.ARTICLE, articles::edit);
          route(routes, POST, ARTICLE_PUBLISH, LOGGED_IN, SystemError.ARTICLE, articles::publish);
          route(
              routes,
              POST,
              "/articles/withdraw",
              LOGGED_IN,
              SystemError.ARTICLE,
              articles::withdraw);
          route(routes, POST, "/articles/list", LOGGED_IN, SystemError.ARTICLE, articles::list);
          route(
              routes,
              GET,
              "/articles/detail/{id}",
              LOGGED_IN,
              SystemError.ARTICLE,
              articles::detail);
          route(
              routes,
              GET,
              "/articles/pub/{id}",
              LOGGED_IN,
              SystemError.ARTICLE,
              articles::readerView);
          // Static paths: POST only, so they never compete with GET /articles/pub/{id}.
          route(
              routes,
              POST,
              "/articles/pub/like",
              LOGGED_IN,
              SystemError.ARTICLE,
              interactions::like);
          route(
              routes,
              POST,
              "/articles/pub/collect",
              LOGGED_IN,
              SystemError.ARTICLE,
              interactions::collect);
          // An empty id has no {id} to match ("/articles/pub/" is "/articles/pub" to the router):
          // declared, so that it is a bad parameter as the spec says, not a 404.
          route(routes, GET, "/articles/detail", LOGGED_IN, SystemError.ARTICLE, articles::emptyId);
          route(routes, GET, "/articles/pub", LOGGED_IN, SystemError.ARTICLE, articles::emptyId);
          // The spec lists the hot list among the article routes but gives it no module code: its
          // one failure (no list yet) is the generic system error.
          route(routes, GET, "/ranking/topN", LOGGED_IN, SystemError.GENERIC, ranking::topN);
        });
  }

  private static void route(
      RoutesConfig routes,
      HandlerType method,
      String path,
      Access access,
      SystemError systemError,
      Handler handler) {
    Handler declared =
        ctx -> {
          ErrorMapping.declare(ctx, systemError);
          // x-route-group (canary, blue …) travels on to every gRPC call the handler makes.
          RouteGroup.callIn(
              ctx.header(RouteGroup.NAME),
              () -> {
                handler.handle(ctx);
                return null;
              });
        };
    routes.addHttpHandler(method, path, declared, access);
    if (GET.equals(method)) { // HandlerType is a record: compare by value
      // Javalin answers HEAD from a GET route by itself, but without the route's roles, so the
      // login check could not tell a public route; declared explicitly, HEAD has GET's access.
      routes.addHttpHandler(HandlerType.HEAD, path, declared, access);
    }
  }
}
