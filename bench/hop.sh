#!/usr/bin/env bash
# What one gRPC hop through the kit costs (issue 7, C.3): wrk against
#   GET /users/profile  BFF: IP limit (Redis) → JWT → session check (Redis) → user-svc over gRPC
#                       (etcd discovery, our balancer, hedging) → profile cache (Redis)
#   GET /hello          BFF only: IP limit (Redis), no login, no gRPC
# in the same run, alternating, and prints requests/s and p99 of each and their ratio.
#
#   bench/hop.sh [seconds per round, default 10] [rounds, default 3]
#
# Needs the jars (deploy/local/webook build) and a running stack (deploy/local/stack up); starts
# one user-svc, one article-svc and one interactive-svc (the BFF is ready only once every channel
# it calls is connected) and the BFF on ports moved by WEBOOK_PORT_OFFSET (default 4000), in a
# private etcd namespace, with the same JVM flags (and AOT cache, if trained) as `webook up`, and
# stops them at the end. wrk: 2 threads, 8 connections (WRK_THREADS, WRK_CONNECTIONS), from this machine — so
# wrk, the BFF, user-svc and Redis share its cores, as they did when the issue was measured.
# The BFF's IP limit is raised for the run (one client IP would otherwise get 429 after 100/s).
# HOP_WARMUP (default 30) sets the warm-up seconds per route.
# HOP_USER_ENV / HOP_BFF_ENV add VAR=value settings to user-svc / the BFF (experiments, e.g.
# HOP_BFF_ENV=WEBOOK_LOG_LEVEL=WARN).
# HOP_JFR=1 also records a JFR profile of both processes (paths printed at the end).
set -euo pipefail
export WEBOOK_PORT_OFFSET=${WEBOOK_PORT_OFFSET:-4000}
# shellcheck source=../deploy/local/lib/common.sh
source "$(dirname "$0")/../deploy/local/lib/common.sh"
# shellcheck source=../deploy/local/lib/services.sh
source "$(dirname "$0")/../deploy/local/lib/services.sh"
SECS=${1:-10}
ROUNDS=${2:-3}
THREADS=${WRK_THREADS:-2}
CONNECTIONS=${WRK_CONNECTIONS:-8}
find_jdk
aot_probe

if ! command -v wrk >/dev/null; then
  info "installing wrk (Debian package)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null ||
    die "cannot install wrk (apt-get install wrk)"
fi
for port in "$ETCD_PORT" "$MYSQL_PORT" "$REDIS_PORT"; do
  port_open "$port" || die "nothing listens on :$port: start the stack first (deploy/local/stack up)"
done
for module in user-svc article-svc interactive-svc bff-gateway; do
  [ -n "$(service_jar "$module")" ] || die "no jar for $module: deploy/local/webook build"
done

LOG_DIR=$(mktemp -d /tmp/webook-bench-hop.XXXXXX)
RUN_DIR=$LOG_DIR
export WEBOOK_ETCD_NAMESPACE=/bench-hop-$$
cleanup() {
  local f
  for f in "$RUN_DIR"/*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)" webook.module 30 >/dev/null; done
  echo "logs: $LOG_DIR" >&2
}
trap cleanup EXIT

start() { # start <name> <module> <port> <admin> [VAR=value...]
  local name=$1 module=$2 port=$3 admin=$4 jfr=()
  shift 4
  [ "${HOP_JFR:-0}" = 1 ] && jfr=(-XX:StartFlightRecording=filename="$LOG_DIR/$name.jfr",settings=profile)
  # HOP_JAVA_OPTS: extra JVM flags for both processes; %n becomes the process name (e.g. a
  # profiler agent writing $LOG_DIR/%n.txt).
  # shellcheck disable=SC2206
  [ -n "${HOP_JAVA_OPTS:-}" ] && jfr+=(${HOP_JAVA_OPTS//%n/$LOG_DIR/$name})
  # shellcheck disable=SC2046 # java_opts prints several flags
  spawn_service "$name" "$module" "$port" "$admin" " (bench)" "$@" -- $(java_opts "$module") "${jfr[@]}"
  wait_ready "$admin" "$(read_pid "$name")" || {
    log_excerpt "$LOG_DIR/$name.log" "${LOG_OFFSET[$name]}" >&2
    die "$name did not become ready"
  }
}
USER_PORT=$((8091 + PORT_OFFSET)) USER_ADMIN=$((9091 + PORT_OFFSET))
BFF_PORT=$((8080 + PORT_OFFSET)) BFF_ADMIN=$((9080 + PORT_OFFSET))
# shellcheck disable=SC2086 # HOP_*_ENV hold several VAR=value words
start user-svc-1 user-svc "$USER_PORT" "$USER_ADMIN" ${HOP_USER_ENV:-}
# Not on the measured path: the BFF is ready only once its article and interactive channels are
# connected too (SPEC §2.5).
start article-svc-1 article-svc $((8097 + PORT_OFFSET)) $((9097 + PORT_OFFSET))
start interactive-svc-1 interactive-svc $((8094 + PORT_OFFSET)) $((9094 + PORT_OFFSET))
# shellcheck disable=SC2086
start bff bff-gateway "$BFF_PORT" "$BFF_ADMIN" WEBOOK_RATE_LIMIT_LIMIT=100000000 ${HOP_BFF_ENV:-}
BASE=http://127.0.0.1:$BFF_PORT

# A user to read: sign up, log in with the User-Agent wrk will send (the token is bound to it).
UA=webook-bench
EMAIL="bench-$$-$RANDOM@example.com" PASSWORD='hello#world123'
curl -sf -m 10 -A "$UA" -H 'Content-Type: application/json' -o /dev/null "$BASE/users/signup" \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"confirmPassword\":\"$PASSWORD\"}" ||
  die "signup failed"
TOKEN=$(curl -sf -m 10 -A "$UA" -H 'Content-Type: application/json' -D - -o /dev/null "$BASE/users/login" \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-jwt-token" {print $2}')
[ -n "$TOKEN" ] || die "login returned no x-jwt-token"
curl -sf -m 10 -A "$UA" -H "Authorization: Bearer $TOKEN" "$BASE/users/profile" | grep -q "$EMAIL" ||
  die "GET /users/profile did not return the user"

# CPU time (clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CPU_PIDS=() CPU_NAMES=()
add_cpu_pid() { [ -n "$2" ] && CPU_PIDS+=("$2") CPU_NAMES+=("$1"); }

# run_wrk <path> [header...]: sets RPS, P99 (ms) and CPU_PER_REQ (µs of CPU per request in each
# process: BFF, user-svc, Redis, wrk); any non-2xx answer fails the benchmark.
run_wrk() {
  local path=$1 out args=() before=() i ticks hz requests wrk_cpu
  shift
  for h in "$@"; do args+=(-H "$h"); done
  for i in "${!CPU_PIDS[@]}"; do before[i]=$(cpu_ticks "${CPU_PIDS[i]}"); done
  out=$( { TIMEFORMAT='%U %S'; time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECS}s" --latency -H "User-Agent: $UA" "${args[@]}" "$BASE$path"; } 2>&1)
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

add_cpu_pid bff "$(read_pid bff)"
add_cpu_pid user-svc "$(read_pid user-svc-1)"
add_cpu_pid redis "$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT" | head -1 || true)"

# The profile path runs far more code than /hello (gRPC client and server, Netty, protobuf, two
# more Redis round trips): it needs a long warm-up before the JIT has compiled it.
WARMUP=${HOP_WARMUP:-30}
info "warm-up: ${WARMUP} s per route (JIT, caches, connections)"
SECS_SAVED=$SECS
SECS=$WARMUP
run_wrk /hello
run_wrk /users/profile "Authorization: Bearer $TOKEN"
SECS=$SECS_SAVED

info "$ROUNDS rounds of ${SECS} s each, alternating (wrk -t$THREADS -c$CONNECTIONS)"
HELLO_RPS=() HELLO_P99=() PROFILE_RPS=() PROFILE_P99=()
for ((r = 1; r <= ROUNDS; r++)); do
  run_wrk /hello
  HELLO_RPS+=("$RPS") HELLO_P99+=("$P99")
  printf 'round %d: /hello         %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" "$RPS" "$P99" "$CPU_PER_REQ"
  run_wrk /users/profile "Authorization: Bearer $TOKEN"
  PROFILE_RPS+=("$RPS") PROFILE_P99+=("$P99")
  printf 'round %d: /users/profile %8s req/s p99 %6s ms; CPU per request: %s\n' "$r" "$RPS" "$P99" "$CPU_PER_REQ"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
H_RPS=$(median "${HELLO_RPS[@]}") H_P99=$(median "${HELLO_P99[@]}")
P_RPS=$(median "${PROFILE_RPS[@]}") P_P99=$(median "${PROFILE_P99[@]}")
echo
echo "| route | req/s (median of $ROUNDS) | p99 ms (median) |"
echo "|---|---|---|"
echo "| GET /hello | $H_RPS | $H_P99 |"
echo "| GET /users/profile | $P_RPS | $P_P99 |"
awk -v pr="$P_RPS" -v hr="$H_RPS" -v pp="$P_P99" -v hp="$H_P99" \
  'BEGIN { printf "| profile / hello | %.2f× | %.1f× |\n", pr / hr, pp / hp }'
if [ "${HOP_JFR:-0}" = 1 ]; then
  echo "JFR recordings (written when the processes stop): $LOG_DIR/user-svc-1.jfr $LOG_DIR/bff.jfr"
fi
