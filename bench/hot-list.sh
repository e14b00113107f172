#!/usr/bin/env bash
# The hot list as readers get it (SPEC §14, issue 10): wrk against
#   GET /ranking/topN   BFF: IP limit (Redis) → JWT → session check (Redis EXISTS, sent with the
#                       limit's command) → the pre-rendered bytes of the list (RefreshingCopy,
#                       remade from ranking-svc's TopN once a second in the background)
#   GET /hello          BFF only: IP limit (Redis); public, no Authorization header
#   GET /hello + auth   the same with the reader's Authorization header: the BFF verifies the JWT
#                       and sends the session EXISTS with the limit's command (prefetchSession)
#                       but, the route being public, does not wait for its answer
# in the same run, alternating the three per round, and prints requests/s and p99 of each and the
# ratios. wrk sends no Accept-Encoding, so the plain (not the precompressed) body is measured.
#
#   bench/hot-list.sh [seconds per round, default 10] [rounds, default 3]
#
# Needs the jars (deploy/local/webook build) and a running stack (deploy/local/stack up); starts
# the processes of bench/hop.sh plus one ranking-svc (bench/lib/routes.sh) on ports moved by
# WEBOOK_PORT_OFFSET (default 4000). ranking-svc runs on the dev database with a job row, Redis
# keys and lock of this run's own (so it never competes with a dev ranking-svc), first every 5 s
# until the BFF serves a list of 100 over the articles this script publishes and likes, then
# it is restarted with the production period (every 3 min): the measured rounds see a normal
# serving instance (it loads the list from Redis), not one computing every few seconds.
BENCH_NAME=hot-list
WITH_RANKING=1
# shellcheck source=lib/routes.sh
source "$(dirname "$0")/lib/routes.sh"
SECS=${1:-10}
ROUNDS=${2:-3}
RANKING_BASE_ENV=(
  "WEBOOK_SCHEDULE_JOB=ranking_topN_bench_$$"
  "WEBOOK_SERVING_KEY_PREFIX=bench-hot-list-$$:"
  "WEBOOK_SCHEDULE_LEADERSHIP_LOCK_KEY=bench-hot-list-$$:lock:ranking:topN"
)
RANKING_ENV=("${RANKING_BASE_ENV[@]}" "WEBOOK_SCHEDULE_CRON=0/5 * * * * ?")
start_suite
login

# A full list, as production serves it: 120 published articles, 100 of them liked (likes give
# them counters; the others have none and are not ranked), so the list has its 100 entries.
info "publishing 120 articles and liking 100 of them"
for i in $(seq 1 120); do
  id=$(api POST /articles/publish "{\"title\":\"hot $i\",\"content\":\"<p>A hot list entry of the benchmark, number $i, with a paragraph or two of text as articles have: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.</p>\"}" |
    sed -n 's/.*"data":\([0-9][0-9]*\).*/\1/p')
  [ -n "$id" ] || die "publishing article $i failed"
  if [ "$i" -le 100 ]; then
    api POST /articles/pub/like "{\"id\":$id,\"like\":true}" | grep -q '"code":0' || die "liking $id failed"
  fi
done
full() { [ "$(api GET /ranking/topN | grep -o '"id":' | wc -l)" -ge 100 ]; }
wait_until "a hot list of 100" 60 full || die "GET /ranking/topN has no list of 100 after 60 s"
info "the BFF serves a list; restarting ranking-svc with the production period"
stop_pid ranking-svc-1 webook.module 30 >/dev/null
RANKING_ENV=("${RANKING_BASE_ENV[@]}")
start ranking-svc-1 ranking-svc "$RANKING_PORT" "$RANKING_ADMIN" "${RANKING_ENV[@]}"
for i in "${!CPU_NAMES[@]}"; do
  [ "${CPU_NAMES[i]}" = ranking-svc ] && CPU_PIDS[i]=$(read_pid ranking-svc-1)
done
# The BFF's copy goes on being refreshed from the new instance (once a second).
sleep 3
body=$(api GET /ranking/topN)
grep -q '"data":\[{' <<<"$body" || die "GET /ranking/topN lost its list after the restart"
info "the list: $(grep -o '"id":' <<<"$body" | wc -l) articles, $(printf %s "$body" | wc -c) bytes (plain)"

AUTH="Authorization: Bearer $TOKEN"
warmup=${BENCH_WARMUP:-30}
info "warm-up: ${warmup} s per route (JIT, caches, connections)"
run_wrk "$warmup" /hello
run_wrk "$warmup" /hello "$AUTH"
run_wrk "$warmup" /ranking/topN "$AUTH"
info "$ROUNDS rounds of ${SECS} s each, alternating (wrk -t$THREADS -c$CONNECTIONS)"
H_RPS=() H_P99=() A_RPS=() A_P99=() T_RPS=() T_P99=()
for ((r = 1; r <= ROUNDS; r++)); do
  run_wrk "$SECS" /hello
  H_RPS+=("$RPS") H_P99+=("$P99")
  printf 'round %d: %-22s %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" /hello "$RPS" "$P99" "$CPU_PER_REQ"
  run_wrk "$SECS" /hello "$AUTH"
  A_RPS+=("$RPS") A_P99+=("$P99")
  printf 'round %d: %-22s %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" "/hello + auth" "$RPS" "$P99" "$CPU_PER_REQ"
  run_wrk "$SECS" /ranking/topN "$AUTH"
  T_RPS+=("$RPS") T_P99+=("$P99")
  printf 'round %d: %-22s %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" /ranking/topN "$RPS" "$P99" "$CPU_PER_REQ"
done
h_rps=$(median "${H_RPS[@]}") h_p99=$(median "${H_P99[@]}")
a_rps=$(median "${A_RPS[@]}") a_p99=$(median "${A_P99[@]}")
t_rps=$(median "${T_RPS[@]}") t_p99=$(median "${T_P99[@]}")
echo
echo "| route | req/s (median of $ROUNDS) | p99 ms (median) |"
echo "|---|---|---|"
echo "| GET /hello | $h_rps | $h_p99 |"
echo "| GET /hello + Authorization | $a_rps | $a_p99 |"
echo "| GET /ranking/topN | $t_rps | $t_p99 |"
awk -v t="$t_rps" -v h="$h_rps" -v tp="$t_p99" -v hp="$h_p99" \
  'BEGIN { printf "| /ranking/topN / hello | %.2f× | %.1f× |\n", t / h, tp / hp }'
awk -v t="$t_rps" -v a="$a_rps" -v tp="$t_p99" -v ap="$a_p99" \
  'BEGIN { printf "| /ranking/topN / hello + Authorization | %.2f× | %.1f× |\n", t / a, tp / ap }'
