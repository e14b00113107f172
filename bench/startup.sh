#!/usr/bin/env bash
# Cold start of every service, exec → /health/ready 200, without and with the JDK 25 AOT cache of
# its jar, N runs each (default 3, alternating), printed as a Markdown table (README "Cold start").
#
#   bench/startup.sh [runs]
#
# Needs the jars (deploy/local/webook build) and a running stack: the one WEBOOK_LOCAL_DIR and
# WEBOOK_STACK_*_PORT point at (deploy/local/stack up); it starts no infrastructure and stops
# none. The measured processes run one at a time with the same flags as `webook up`, on ports
# moved by WEBOOK_PORT_OFFSET (default here 3000) and in a private etcd namespace, so nothing else
# routes to them. A missing cache is trained first, as `webook up` would. The BFF is ready only
# once it reaches every service it calls: one user-svc, article-svc and interactive-svc instance run
# in the same namespace while the BFF is measured.
set -euo pipefail
export WEBOOK_PORT_OFFSET=${WEBOOK_PORT_OFFSET:-3000}
# shellcheck source=../deploy/local/lib/common.sh
source "$(dirname "$0")/../deploy/local/lib/common.sh"
# shellcheck source=../deploy/local/lib/services.sh
source "$(dirname "$0")/../deploy/local/lib/services.sh"
RUNS=${1:-3}
find_jdk
aot_probe
# Logs and pid files of the measured processes: a folder of their own.
LOG_DIR=$(mktemp -d /tmp/webook-bench-startup.XXXXXX)
RUN_DIR=$LOG_DIR
export WEBOOK_ETCD_NAMESPACE=/bench-startup-$$

for port in "$ETCD_PORT" "$MYSQL_PORT" "$REDIS_PORT" "$KAFKA_PORT"; do
  port_open "$port" || die "nothing listens on :$port: start the stack first (deploy/local/stack up)"
done
for module in "${MODULES[@]}"; do [ -n "$(service_jar "$module")" ] || die "no jar for $module: deploy/local/webook build"; done

HELPER=""
cleanup() {
  local f
  for f in "$RUN_DIR"/*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)" webook.module 30 >/dev/null; done
  echo "logs: $LOG_DIR" >&2
}
trap cleanup EXIT

# ready_fast <port>: one GET /health/ready through bash's /dev/tcp, no curl process to fork
# every 20 ms while a JVM starts.
ready_fast() {
  local line=""
  { printf 'GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && IFS= read -r -t 2 line <&3; } \
    2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  [[ $line == HTTP/1.[01]\ 200* ]]
}

# measure <name> <module> <port> <admin> [java flag...]: sets MS to the ms from exec to ready.
measure() {
  local name=$1 module=$2 port=$3 admin=$4 pid deadline
  shift 4
  spawn_service "$name" "$module" "$port" "$admin" " (bench)" WEBOOK_GRPC_DRAIN_WINDOW=0s -- "$@"
  pid=$(read_pid "$name")
  deadline=$((SECONDS + 120))
  until ready_fast "$admin"; do
    pid_alive "$pid" || { log_excerpt "$LOG_DIR/$name.log" "${LOG_OFFSET[$name]}" >&2; die "$name exited during the benchmark"; }
    [ $SECONDS -lt $deadline ] || die "$name not ready after 120 s"
    sleep 0.02
  done
  now_ms
  MS=$((NOW_MS - ${STARTED_MS[$name]}))
  stop_pid "$name" webook.module 60 >/dev/null
}

median() { tr ' ' '\n' <<<"$*" | sort -n | sed -n "$((($# + 1) / 2))p"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A PLAIN=() AOT=()
for spec in "${SERVICES[@]}"; do
  read -r name module port admin <<<"$spec"
  [[ $name == *-1 || $name == bff ]] || continue # one instance per module
  port=$((port + PORT_OFFSET)) admin=$((admin + PORT_OFFSET))
  if [ "$module" = bff-gateway ] && [ -z "$HELPER" ]; then
    # The BFF is ready only once every channel it calls is connected: one instance of each.
    HELPER=helpers
    for helper in "user-helper user-svc 8091 9091" "article-helper article-svc 8097 9097" \
      "interactive-helper interactive-svc 8094 9094"; do
      read -r hname hmodule hp ha <<<"$helper"
      hp=$((hp + PORT_OFFSET + 100)) ha=$((ha + PORT_OFFSET + 100))
      hflags=()
      aot_cache_file "$(service_jar "$hmodule")"
      if [ "$AOT_ON" = 1 ] && [ -f "$AOT_CACHE" ]; then hflags=(-XX:AOTCache="$AOT_CACHE"); fi
      spawn_service "$hname" "$hmodule" "$hp" "$ha" " (bench: $hmodule for the BFF)" -- "${hflags[@]}"
      wait_ready "$ha" "$(read_pid "$hname")" || die "$hmodule for the BFF did not start"
    done
  fi
  flags=()
  if [ "$AOT_ON" = 1 ]; then
    aot_cache_file "$(service_jar "$module")"
    if [ ! -f "$AOT_CACHE" ]; then aot_train "$name" "$module" "$port" "$admin" >&2 || die "AOT training of $module failed"; fi
    flags=(-XX:AOTCache="$AOT_CACHE")
  fi
  for ((run = 1; run <= RUNS; run++)); do
    measure "$name" "$module" "$port" "$admin"
    PLAIN[$module]+="$MS " line="$module run $run: without $MS ms"
    if [ "$AOT_ON" = 1 ]; then
      measure "$name" "$module" "$port" "$admin" "${flags[@]}"
      AOT[$module]+="$MS " line+=", with AOT cache $MS ms"
    fi
    echo "$line" >&2
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

secs() { local v out=""; for v in $1; do out+="$(awk -v ms="$v" 'BEGIN { printf "%.2f", ms / 1000 }') "; done; echo "${out% }"; }
echo
echo "Cold start, exec → /health/ready 200, s ($RUNS runs each; JDK $JDK_VERSION, $(nproc) cores, flags ${JVM_OPTS[*]};"
echo "load average before $load_before, after $load_after; $(date '+%F %H:%M'))"
echo
if [ "$AOT_ON" = 1 ]; then
  echo "| service | without AOT cache | median | with AOT cache | median | speed-up |"
  echo "|---|---|---|---|---|---|"
else
  echo "| service | without AOT cache | median |"
  echo "|---|---|---|"
fi
for module in "${MODULES[@]}"; do
  p=$(median ${PLAIN[$module]})
  if [ "$AOT_ON" = 1 ]; then
    a=$(median ${AOT[$module]})
    echo "| $module | $(secs "${PLAIN[$module]}") | **$(secs "$p")** | $(secs "${AOT[$module]}") | **$(secs "$a")** | $(awk -v p="$p" -v a="$a" 'BEGIN { printf "%.1f×", p / a }') |"
  else
    echo "| $module | $(secs "${PLAIN[$module]}") | **$(secs "$p")** |"
  fi
done
