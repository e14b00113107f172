#!/usr/bin/env bash
# The hot reader view (SPEC §14, issue 8): wrk against
#   GET /articles/pub/{id}  BFF: IP limit (Redis) → JWT → session check (Redis) → concurrently
#                           article-svc GetPublishedById (reader-view cache in Redis, read event to
#                           Kafka, queued) and interactive-svc Get (counters; degraded to zeros
#                           after articles.countersTimeout while interactive-svc cannot answer)
#   GET /hello              BFF only: IP limit (Redis)
# in the same run, alternating, warm (one published article, read over and over: every read is a
# cache hit), and prints requests/s and p99 of each and their ratio, plus article-svc's
# server-side GetPublishedById latency (p50/p99 from its gRPC histogram, over the measured rounds).
#
#   bench/pub-read.sh [seconds per round, default 10] [rounds, default 3]
#
# Needs the jars (deploy/local/webook build) and a running stack (deploy/local/stack up); the
# processes and wrk settings are those of bench/hop.sh (bench/lib/routes.sh), on ports moved by
# WEBOOK_PORT_OFFSET (default 4000).
BENCH_NAME=pub-read
# shellcheck source=lib/routes.sh
source "$(dirname "$0")/lib/routes.sh"
SECS=${1:-10}
ROUNDS=${2:-3}
start_suite
login
ID=$(api POST /articles/publish '{"title":"bench","content":"<h2>Bench</h2><p>A reader view of a few paragraphs, as an article page has.</p><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>"}' |
  sed -n 's/.*"data":\([0-9][0-9]*\).*/\1/p')
[ -n "$ID" ] || die "publishing the benchmark's article failed"
api GET "/articles/pub/$ID" | grep -q '"title":"bench"' || die "GET /articles/pub/$ID did not return the article"

# The GetPublishedById histogram of article-svc (cumulative buckets, le in seconds).
HISTOGRAM_BEFORE="$LOG_DIR/histogram.before" HISTOGRAM_AFTER="$LOG_DIR/histogram.after"
: >"$LOG_DIR/histogram.delta"
histogram() {
  curl -sf -m 10 "http://127.0.0.1:$ARTICLE_ADMIN/metrics" |
    awk '/^grpc_server_processing_duration_seconds_bucket\{/ && /method="GetPublishedById"/ && /statusCode="OK"/ {
      match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5); print le, $NF }'
}
BEFORE_ROUND() { histogram >"$HISTOGRAM_BEFORE"; }
AFTER_ROUND() {
  histogram >"$HISTOGRAM_AFTER"
  # Per-round deltas, summed over the rounds.
  join <(sort "$HISTOGRAM_BEFORE") <(sort "$HISTOGRAM_AFTER") | awk '{print $1, $3 - $2}' >>"$LOG_DIR/histogram.delta"
}
compare "/articles/pub/{id}" "$SECS" "$ROUNDS" "/articles/pub/$ID" "Authorization: Bearer $TOKEN"

# p50 / p99 from the summed cumulative buckets, interpolated linearly inside a bucket (as
# Prometheus's histogram_quantile does).
awk '{ sum[$1] += $2 } END {
    n = 0; for (le in sum) { les[++n] = le }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
      a = (les[i] == "+Inf") ? 1e300 : les[i] + 0; b = (les[j] == "+Inf") ? 1e300 : les[j] + 0
      if (b < a) { t = les[i]; les[i] = les[j]; les[j] = t } }
    total = sum["+Inf"]
    if (total == 0) { print "no GetPublishedById calls recorded"; exit }
    split("0.5 0.99", qs, " ")
    for (k = 1; k <= 2; k++) {
      q = qs[k]; rank = q * total; prev_le = 0; prev_c = 0
      for (i = 1; i <= n; i++) {
        le = (les[i] == "+Inf") ? prev_le : les[i] + 0; c = sum[les[i]]
        if (c >= rank) { v = prev_le + (le - prev_le) * (c > prev_c ? (rank - prev_c) / (c - prev_c) : 0); break }
        prev_le = le; prev_c = c }
      printf "article-svc GetPublishedById (server side, %d calls): p%g %.3f ms\n", total, q * 100, v * 1000 }
  }' "$LOG_DIR/histogram.delta"
