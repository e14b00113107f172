# shellcheck shell=bash
# Shared by the HTTP route benchmarks (bench/hop.sh, bench/pub-read.sh): start a small suite on
# moved ports in a private etcd namespace, log a user in, and compare one route against the BFF's
# no-op GET /hello with wrk, in the same run, alternating rounds.
#
# The caller sets BENCH_NAME (log folder and etcd namespace) and may set, before sourcing:
#   WEBOOK_PORT_OFFSET (default 4000), WRK_THREADS (2), WRK_CONNECTIONS (8), BENCH_WARMUP (30 s per
#   route), BENCH_JFR=1 (a JFR profile of every started process), BENCH_JAVA_OPTS (extra JVM flags
#   for every process; %n becomes the process's log path without extension).
set -euo pipefail
export WEBOOK_PORT_OFFSET=${WEBOOK_PORT_OFFSET:-4000}
BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../deploy/local/lib/common.sh
source "$BENCH_LIB_DIR/../../deploy/local/lib/common.sh"
# shellcheck source=../../deploy/local/lib/services.sh
source "$BENCH_LIB_DIR/../../deploy/local/lib/services.sh"
THREADS=${WRK_THREADS:-2}
CONNECTIONS=${WRK_CONNECTIONS:-8}
UA=webook-bench
find_jdk
aot_probe

if ! command -v wrk >/dev/null; then
  info "installing wrk (Debian package)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null ||
    die "cannot install wrk (apt-get install wrk)"
fi
for port in "$ETCD_PORT" "$MYSQL_PORT" "$REDIS_PORT" "$KAFKA_PORT"; do
  port_open "$port" || die "nothing listens on :$port: start the stack first (deploy/local/stack up)"
done
for module in user-svc article-svc interactive-svc bff-gateway ${WITH_RANKING:+ranking-svc}; do
  [ -n "$(service_jar "$module")" ] || die "no jar for $module: deploy/local/webook build"
done

LOG_DIR=$(mktemp -d "/tmp/webook-bench-$BENCH_NAME.XXXXXX")
RUN_DIR=$LOG_DIR
export WEBOOK_ETCD_NAMESPACE=/bench-$BENCH_NAME-$$
bench_cleanup() {
  local f
  for f in "$RUN_DIR"/*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)" webook.module 30 >/dev/null; done
  echo "logs: $LOG_DIR" >&2
}
trap bench_cleanup EXIT

# start <name> <module> <port> <admin> [VAR=value...]: one process, same JVM flags (and AOT cache)
# as `webook up`, waited for until ready.
start() {
  local name=$1 module=$2 port=$3 admin=$4 extra=()
  shift 4
  [ "${BENCH_JFR:-0}" = 1 ] && extra=(-XX:StartFlightRecording=filename="$LOG_DIR/$name.jfr",settings=profile)
  # shellcheck disable=SC2206
  [ -n "${BENCH_JAVA_OPTS:-}" ] && extra+=(${BENCH_JAVA_OPTS//%n/$LOG_DIR/$name})
  # shellcheck disable=SC2046 # java_opts prints several flags
  spawn_service "$name" "$module" "$port" "$admin" " (bench)" "$@" -- $(java_opts "$module") "${extra[@]}"
  wait_ready "$admin" "$(read_pid "$name")" || {
    log_excerpt "$LOG_DIR/$name.log" "${LOG_OFFSET[$name]}" >&2
    die "$name did not become ready"
  }
}

USER_PORT=$((8091 + PORT_OFFSET)) USER_ADMIN=$((9091 + PORT_OFFSET))
ARTICLE_PORT=$((8097 + PORT_OFFSET)) ARTICLE_ADMIN=$((9097 + PORT_OFFSET))
INTR_PORT=$((8094 + PORT_OFFSET)) INTR_ADMIN=$((9094 + PORT_OFFSET))
RANKING_PORT=$((8092 + PORT_OFFSET)) RANKING_ADMIN=$((9092 + PORT_OFFSET))
BFF_PORT=$((8080 + PORT_OFFSET)) BFF_ADMIN=$((9080 + PORT_OFFSET))
BASE=http://127.0.0.1:$BFF_PORT

# start_suite: user-svc, article-svc, interactive-svc, ranking-svc if WITH_RANKING=1 (set before
# sourcing), and the BFF (ready only once every channel it calls is connected, SPEC §2.5), one each;
# USER_ENV, ARTICLE_ENV, RANKING_ENV, BFF_ENV (arrays) add settings.
start_suite() {
  start user-svc-1 user-svc "$USER_PORT" "$USER_ADMIN" "${USER_ENV[@]}"
  start article-svc-1 article-svc "$ARTICLE_PORT" "$ARTICLE_ADMIN" "${ARTICLE_ENV[@]}"
  start interactive-svc-1 interactive-svc "$INTR_PORT" "$INTR_ADMIN"
  if [ -n "${WITH_RANKING:-}" ]; then
    start ranking-svc-1 ranking-svc "$RANKING_PORT" "$RANKING_ADMIN" "${RANKING_ENV[@]}"
    add_cpu_pid ranking-svc "$(read_pid ranking-svc-1)"
  fi
  # The IP limit is raised: one client IP would otherwise get 429 after 100 requests/s.
  start bff bff-gateway "$BFF_PORT" "$BFF_ADMIN" WEBOOK_RATE_LIMIT_LIMIT=100000000 "${BFF_ENV[@]}"
  add_cpu_pid bff "$(read_pid bff)"
  add_cpu_pid user-svc "$(read_pid user-svc-1)"
  add_cpu_pid article-svc "$(read_pid article-svc-1)"
  add_cpu_pid interactive-svc "$(read_pid interactive-svc-1)"
  add_cpu_pid redis "$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT" | head -1 || true)"
}
USER_ENV=() ARTICLE_ENV=() RANKING_ENV=() BFF_ENV=()

# login: signs a new user up and logs in with the User-Agent wrk sends (the token is bound to it);
# sets TOKEN.
login() {
  local email="bench-$$-$RANDOM@example.com" password='hello#world123'
  curl -sf -m 10 -A "$UA" -H 'Content-Type: application/json' -o /dev/null "$BASE/users/signup" \
    -d "{\"email\":\"$email\",\"password\":\"$password\",\"confirmPassword\":\"$password\"}" ||
    die "signup failed"
  TOKEN=$(curl -sf -m 10 -A "$UA" -H 'Content-Type: application/json' -D - -o /dev/null "$BASE/users/login" \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-jwt-token" {print $2}')
  [ -n "$TOKEN" ] || die "login returned no x-jwt-token"
}

# An authenticated JSON request as the benchmark's user: api <method> <path> [json body].
api() {
  local method=$1 path=$2 body=${3:-}
  curl -sf -m 10 -A "$UA" -X "$method" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${body:+-d "$body"} "$BASE$path"
}

# CPU time (clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CPU_PIDS=() CPU_NAMES=()
add_cpu_pid() { [ -n "$2" ] && CPU_PIDS+=("$2") CPU_NAMES+=("$1"); }

# run_wrk <seconds> <path> [header...]: sets RPS, P99 (ms) and CPU_PER_REQ (µs of CPU per request
# in each process); any non-2xx answer fails the benchmark.
run_wrk() {
  local secs=$1 path=$2 out args=() before=() i ticks hz requests wrk_cpu
  shift 2
  for h in "$@"; do args+=(-H "$h"); done
  for i in "${!CPU_PIDS[@]}"; do before[i]=$(cpu_ticks "${CPU_PIDS[i]}"); done
  out=$( { TIMEFORMAT='%U %S'; time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -H "User-Agent: $UA" "${args[@]}" "$BASE$path"; } 2>&1)
  wrk_cpu=$(tail -n 1 <<<"$out")
  hz=$(getconf CLK_TCK)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  CPU_PER_REQ=""
  for i in "${!CPU_PIDS[@]}"; do
    ticks=$(($(cpu_ticks "${CPU_PIDS[i]}") - before[i]))
    CPU_PER_REQ+=$(awk -v t="$ticks" -v hz="$hz" -v n="$requests" -v name="${CPU_NAMES[i]}" 'BEGIN { printf "%s %.0f µs, ", name, t / hz * 1e6 / n }')
  done
  CPU_PER_REQ+=$(awk -v u="${wrk_cpu% *}" -v s="${wrk_cpu#* }" -v n="$requests" 'BEGIN { printf "wrk %.0f µs", (u + s) * 1e6 / n }')
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "$out" >&2
    die "wrk got error answers from $path"
  fi
  RPS=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  P99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}' <<<"$out")
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# compare <label> <seconds> <rounds> <path> [header...]: warm-up, then <rounds> alternating wrk
# runs of GET /hello and of <path>; prints every round and a Markdown table of the medians with
# the ratios. BEFORE_ROUND / AFTER_ROUND, if defined as functions, run around each <path> round.
compare() {
  local label=$1 secs=$2 rounds=$3 path=$4 r
  shift 4
  local warmup=${BENCH_WARMUP:-30}
  info "warm-up: ${warmup} s per route (JIT, caches, connections)"
  run_wrk "$warmup" /hello
  run_wrk "$warmup" "$path" "$@"
  info "$rounds rounds of ${secs} s each, alternating (wrk -t$THREADS -c$CONNECTIONS)"
  local hello_rps=() hello_p99=() route_rps=() route_p99=()
  for ((r = 1; r <= rounds; r++)); do
    run_wrk "$secs" /hello
    hello_rps+=("$RPS") hello_p99+=("$P99")
    printf 'round %d: %-22s %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" /hello "$RPS" "$P99" "$CPU_PER_REQ"
    if declare -F BEFORE_ROUND >/dev/null; then BEFORE_ROUND; fi
    run_wrk "$secs" "$path" "$@"
    if declare -F AFTER_ROUND >/dev/null; then AFTER_ROUND; fi
    route_rps+=("$RPS") route_p99+=("$P99")
    printf 'round %d: %-22s %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" "$label" "$RPS" "$P99" "$CPU_PER_REQ"
  done
  local h_rps h_p99 p_rps p_p99
  h_rps=$(median "${hello_rps[@]}") h_p99=$(median "${hello_p99[@]}")
  p_rps=$(median "${route_rps[@]}") p_p99=$(median "${route_p99[@]}")
  echo
  echo "| route | req/s (median of $rounds) | p99 ms (median) |"
  echo "|---|---|---|"
  echo "| GET /hello | $h_rps | $h_p99 |"
  echo "| GET $label | $p_rps | $p_p99 |"
  awk -v pr="$p_rps" -v hr="$h_rps" -v pp="$p_p99" -v hp="$h_p99" -v l="$label" \
    'BEGIN { printf "| %s / hello | %.2f× | %.1f× |\n", l, pr / hr, pp / hp }'
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    echo "JFR recordings (written when the processes stop): $LOG_DIR/*.jfr"
  fi
}
