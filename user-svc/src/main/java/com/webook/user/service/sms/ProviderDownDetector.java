package com.webook.user.service.sms;

import com.webook.user.config.SmsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the SMS providers are "down" (SPEC §4.5 point 4) from the outcomes of real sends.
 * Down when, over the last {@code window}, there were at least {@code minRequests} sends and either
 *
 * <ul>
 *   <li>the error ratio (failures and timeouts / all) is ≥ {@code errorRatio}, or
 *   <li>the p99 latency is ≥ {@code latencyFloor} and more than {@code latencyFactor} × the
 *       long-run p99, measured over the {@code baselineWindows} windows <em>before</em> the last
 *       one (so a slowdown cannot raise its own baseline), once those hold {@code
 *       minBaselineRequests} sends.
 * </ul>
 *
 * The verdict is computed from the data on each call; there is no latched state. While down, the
 * async path stops calling providers, so the evidence ages out of the window and requests are tried
 * again; the background worker keeps sending (and recording) meanwhile, which makes it the probe
 * that keeps a still-broken provider judged down.
 *
 * <p>Data: two rings of buckets indexed by epoch ({@code now / width}); a bucket whose epoch is not
 * the expected one is stale and ignored or reset. The recent ring has {@code buckets} buckets of
 * {@code window / buckets}; the baseline ring has one bucket per window. Each bucket holds counts
 * and a log-scale latency histogram (4 bins per power of two, ≤ 19% error, plenty for a 5× rule).
 * Time comes from the injected {@link Clock}. Thread-safe: one lock around record and evaluate (an
 * evaluation merges a few thousand longs, far below one provider call).
 */
public final class ProviderDownDetector {
  private static final Logger log = LoggerFactory.getLogger(ProviderDownDetector.class);
  static final int BINS = 112;

  /** The result of one evaluation, with the numbers it was based on (for logs and tests). */
  public record Verdict(
      boolean down,
      String reason,
      long requests,
      double errorRatio,
      long p99Millis,
      long baselineRequests,
      long baselineP99Millis) {}

  private final SmsConfig.Detector config;
  private final Clock clock;
  private final long bucketMillis;
  private final long windowMillis;
  private final Bucket[] recent;
  private final Bucket[] baseline;
  private final Counter toDown;
  private final Counter toUp;
  private boolean lastDown;

  public ProviderDownDetector(SmsConfig.Detector config, Clock clock, MeterRegistry registry) {
    this.config = config;
    this.clock = clock;
    this.windowMillis = config.window().toMillis();
    this.bucketMillis = windowMillis / config.buckets();
    this.recent = newRing(config.buckets());
    // Two more than the horizon: the window in progress and the one the recent ring overlaps are
    // excluded from the baseline, and the rest must still cover baselineWindows windows.
    this.baseline = newRing(config.baselineWindows() + 2);
    this.toDown =
        Counter.builder("sms.detector.transitions")
            .tag("state", "down")
            .description("SMS providers judged down / up again")
            .register(registry);
    this.toUp =
        Counter.builder("sms.detector.transitions")
            .tag("state", "up")
            .description("SMS providers judged down / up again")
            .register(registry);
    Gauge.builder("sms.detector.down", this, d -> d.isDown() ? 1 : 0)
        .description("1 while the SMS providers are judged down")
        .register(registry);
  }

  /** Records the outcome of one send that reached the providers. */
  public synchronized void record(boolean success, Duration latency) {
    long now = clock.millis();
    int bin = bin(latency.toMillis());
    bucket(recent, now / bucketMillis).add(success, bin);
    bucket(baseline, now / windowMillis).add(success, bin);
  }

  public boolean isDown() {
    return evaluate().down();
  }

  /** Judges the data as of now. */
  public synchronized Verdict evaluate() {
    long now = clock.millis();
    long recentEpoch = now / bucketMillis;
    long[] histogram = new long[BINS];
    long requests = 0;
    long errors = 0;
    for (Bucket b : recent) {
      if (b.epoch > recentEpoch - recent.length && b.epoch <= recentEpoch) {
        requests += b.requests;
        errors += b.errors;
        b.addTo(histogram);
      }
    }
    long recentStart = (recentEpoch - recent.length + 1) * bucketMillis;
    long baseEpoch = now / windowMillis;
    long[] baseHistogram = new long[BINS];
    long baseRequests = 0;
    for (Bucket b : baseline) {
      boolean inRing = b.epoch > baseEpoch - baseline.length && b.epoch <= baseEpoch;
      if (inRing && (b.epoch + 1) * windowMillis <= recentStart) {
        baseRequests += b.requests;
        b.addTo(baseHistogram);
      }
    }
    double ratio = requests == 0 ? 0 : (double) errors / requests;
    long p99 = p99(histogram, requests);
    long baseP99 = p99(baseHistogram, baseRequests);
    String reason = "";
    if (requests >= config.minRequests()) {
      if (ratio >= config.errorRatio()) {
        reason = "error_ratio";
      } else if (baseRequests >= config.minBaselineRequests()
          && p99 >= config.latencyFloor().toMillis()
          && p99 > config.latencyFactor() * baseP99) {
        reason = "latency";
      }
    }
    Verdict v = new Verdict(!reason.isEmpty(), reason, requests, ratio, p99, baseRequests, baseP99);
    if (v.down() != lastDown) {
      lastDown = v.down();
      (v.down() ? toDown : toUp).increment();
      if (v.down()) {
        log.warn(
            "SMS providers judged DOWN ({}): {} sends in the last {} ms, error ratio {}, p99 {} ms, "
                + "long-run p99 {} ms; new requests go to the async queue",
            reason,
            requests,
            windowMillis,
            String.format("%.2f", ratio),
            p99,
            baseP99);
      } else {
        log.info(
            "SMS providers no longer judged down: {} sends in the last {} ms, error ratio {}, p99 {} ms",
            requests,
            windowMillis,
            String.format("%.2f", ratio),
            p99);
      }
    }
    return v;
  }

  /** Bin 0: under 1 ms; bin i ≥ 1: up to 2^(i/4) ms. */
  static int bin(long millis) {
    if (millis < 1) {
      return 0;
    }
    // A latency in ms is far below 2^53: the conversion to double is exact.
    int i = (int) Math.ceil(4 * Math.log((double) millis) / Math.log(2)) + 1;
    return Math.min(i, BINS - 1);
  }

  /** The upper bound (ms) of a bin. */
  static long upperBound(int bin) {
    return bin == 0 ? 1 : Math.round(Math.pow(2, (bin - 1) / 4.0));
  }

  private static long p99(long[] histogram, long total) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(total * 0.99);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(histogram.length - 1);
  }

  private static Bucket bucket(Bucket[] ring, long epoch) {
    Bucket b = ring[(int) Math.floorMod(epoch, (long) ring.length)];
    if (b.epoch != epoch) {
      b.reset(epoch);
    }
    return b;
  }

  private static Bucket[] newRing(int size) {
    Bucket[] ring = new Bucket[size];
    for (int i = 0; i < size; i++) {
      ring[i] = new Bucket();
    }
    return ring;
  }

  /** Counts of one time slice. Guarded by the detector's lock. */
  private static final class Bucket {
    long epoch = Long.MIN_VALUE;
    long requests;
    long errors;
    final long[] latencies = new long[BINS];

    void reset(long newEpoch) {
      epoch = newEpoch;
      requests = 0;
      errors = 0;
      java.util.Arrays.fill(latencies, 0);
    }

    void add(boolean success, int bin) {
      requests++;
      if (!success) {
        errors++;
      }
      latencies[bin]++;
    }

    void addTo(long[] histogram) {
      for (int i = 0; i < BINS; i++) {
        histogram[i] += latencies[i];
      }
    }
  }
}
