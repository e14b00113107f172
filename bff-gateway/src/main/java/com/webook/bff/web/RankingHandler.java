package com.webook.bff.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.webook.bff.client.RankingClient;
import com.webook.bff.domain.HotArticle;
import com.webook.platform.logging.LogThrottle;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ranking/topN} (SPEC §2.4): the hot list, best first. The list changes once per
 * ranking period (3 min) and is the same for every reader, so the handler neither calls ranking-svc
 * nor renders JSON per request: it answers the bytes of the whole envelope, rendered once per list
 * and kept in a {@link RefreshingCopy} that remakes them in the background ({@code
 * ranking.refreshAfter}). A request costs what {@code GET /hello} costs plus writing the bytes.
 *
 * <p>Degradation (SPEC §9, "ranking serves stale lists"): a refresh that fails keeps the list the
 * BFF has; every answer from it until a refresh succeeds is counted in {@code
 * bff_degraded_total{dependency="ranking",reason}} and logged at most once per interval ({@link
 * Degradation}). With no list ever loaded (ranking-svc down since the BFF started), the route's
 * system error {@code {5,"系统错误"}} (HTTP 200), logged at most once per interval; the next attempt
 * follows {@code refreshAfter} later.
 *
 * <p>Thread-safe.
 */
public final class RankingHandler {
  private static final Logger log = LoggerFactory.getLogger(RankingHandler.class);

  /** The dependency stale answers lack, as tagged in {@code bff_degraded_total}. */
  static final String RANKING = "ranking";

  /** The degradations this handler can report, registered at zero so dashboards see them. */
  public static final Map<String, List<String>> DEGRADATIONS =
      Map.of(RANKING, List.of(Degradation.TIMEOUT, "unavailable", "unimplemented", "internal"));

  /** SPEC §2.4: at most 100 entries, whatever ranking-svc sends. */
  static final int MAX_ENTRIES = 100;

  static final String JSON = "application/json; charset=utf-8";

  /** An entry of the hot list: exactly the fields SPEC §2.4 names, in its order. */
  @JsonPropertyOrder({
    "id",
    "title",
    "abstract",
    "author",
    "authorId",
    "likeCnt",
    "readCnt",
    "utime"
  })
  record HotItem(
      long id,
      String title,
      @JsonProperty("abstract") String abstractText,
      String author,
      long authorId,
      long likeCnt,
      long readCnt,
      String utime) {}

  private final RefreshingCopy<Responses.Rendered> list;
  private final byte[] systemError;
  private final Degradation degradation;
  private final LogThrottle noListLog;
  private final Clock clock;

  /**
   * @param refreshAfter remake the rendered list in the background once it is this old
   * @param background where the remakes (the TopN call and the rendering) run
   * @param logInterval how often the system error of "no list yet" may be logged
   * @param metrics where the gauge {@code bff_hot_list_age_seconds} goes
   */
  public RankingHandler(
      RankingClient ranking,
      Json json,
      VoTime time,
      Duration refreshAfter,
      Executor background,
      Clock clock,
      Degradation degradation,
      Duration logInterval,
      MeterRegistry metrics) {
    this.list =
        new RefreshingCopy<>(() -> render(ranking, json, time), refreshAfter, background, clock);
    this.systemError = json.bytes(SystemError.GENERIC.result());
    this.degradation = degradation;
    this.noListLog = new LogThrottle(logInterval);
    this.clock = clock;
    // How old the served list is: alert on it, since a stale copy answers code 0 like a fresh one.
    Gauge.builder("bff.hot.list.age", this, RankingHandler::ageSeconds)
        .description("age of the hot list GET /ranking/topN answers (NaN: no list yet)")
        .baseUnit("seconds")
        .register(metrics);
  }

  private double ageSeconds() {
    return list.peek()
        .filter(s -> s.madeAt() != null)
        .map(s -> Duration.between(s.madeAt(), clock.instant()).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  /** GET /ranking/topN → {@code {0,"",[…]}} (an empty list is {@code []}). */
  public void topN(Context ctx) {
    RefreshingCopy.Snapshot<Responses.Rendered> s = list.current();
    if (s.value() == null) {
      if (noListLog.allow()) {
        log.warn(
            "request {}: no hot list yet, answered the system error (logged at most once per"
                + " interval): {}",
            RequestIds.of(ctx),
            s.failure().toString());
      }
      ctx.attribute(Responses.RESULT_CODE, SystemError.GENERIC.result().code());
      Responses.bytes(ctx, JSON, systemError);
      return;
    }
    if (s.stale()) {
      degradation.record(
          RANKING,
          Degradation.reasonOf(s.failure()),
          RequestIds.of(ctx),
          "ranking.TopN refresh failed, answered the list of " + s.madeAt() + ": " + s.failure());
    }
    ctx.attribute(Responses.RESULT_CODE, 0);
    Responses.rendered(ctx, s.value());
  }

  /**
   * One TopN call and the whole envelope rendered. The call runs in the root gRPC context: the list
   * is shared by every request, so it must not carry the route group (or a cancellation) of
   * whichever request made it first; it goes to the ungrouped ranking-svc instances, as the
   * background refreshes do.
   */
  private static Responses.Rendered render(RankingClient ranking, Json json, VoTime time) {
    List<HotArticle> top;
    try {
      top = io.grpc.Context.ROOT.call(ranking::topN);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // Callable's signature: topN throws nothing checked
      throw new IllegalStateException(e);
    }
    List<HotItem> items =
        top.stream()
            .limit(MAX_ENTRIES)
            .map(
                a ->
                    new HotItem(
                        a.id(),
                        a.title(),
                        a.abstractText(),
                        a.author().name(),
                        a.author().id(),
                        a.likeCnt(),
                        a.readCnt(),
                        time.dateTime(a.utime())))
            .toList();
    return Responses.Rendered.of(JSON, json.bytes(Result.ok("", items)));
  }
}
