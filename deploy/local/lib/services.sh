# shellcheck shell=bash
# The service processes of deploy/local/webook (and bench/startup.sh): which ones, on which ports,
# with which JVM flags, and the JDK 25 AOT cache of each jar. Sourced after lib/common.sh, never run.

# name  module  gRPC-or-HTTP port  admin port   (dev ports, SPEC §1; start order = this order:
# every process starts after the ones it calls, so the BFF, ready only once user-svc, article-svc
# and interactive-svc answer, is last)
SERVICES=(
  "user-svc-1 user-svc 8091 9091"
  "article-svc-1 article-svc 8097 9097"
  "article-svc-2 article-svc 8197 9197"
  "interactive-svc-1 interactive-svc 8094 9094"
  "interactive-svc-2 interactive-svc 8194 9194"
  "ranking-svc-1 ranking-svc 8092 9092"
  "ranking-svc-2 ranking-svc 8192 9192"
  "bff bff-gateway 8080 9080"
)
MODULES=(user-svc article-svc interactive-svc ranking-svc bff-gateway)

# WEBOOK_PORT_OFFSET moves every service port (not the stack's: WEBOOK_STACK_*_PORT do that), so a
# second set of services can run next to the first (deploy/local/test-up does).
PORT_OFFSET=${WEBOOK_PORT_OFFSET:-0}
[[ $PORT_OFFSET =~ ^[0-9]+$ ]] && [ "$PORT_OFFSET" -le 55000 ] ||
  die "WEBOOK_PORT_OFFSET=$PORT_OFFSET: expected a whole number from 0 to 55000"

# The same flags for the training run and every start: a cache is only valid for the flags it was
# trained with. SerialGC and a small heap: eight JVMs share a small machine.
JVM_OPTS=(-Xmx384m -XX:+UseSerialGC)

service_jar() { ls "$ROOT/$1"/target/*-all.jar 2>/dev/null | head -1; }

# The ports of a running (or about to run) process: those recorded when it was started, else
# the dev ports moved by WEBOOK_PORT_OFFSET. Prints "<port> <admin-port>".
service_ports() {
  local name=$1 port=$2 admin=$3
  if [ -f "$RUN_DIR/$name.ports" ]; then cat "$RUN_DIR/$name.ports"; else echo "$((port + PORT_OFFSET)) $((admin + PORT_OFFSET))"; fi
}

http_ready() { curl -sf -m 2 -o /dev/null "http://127.0.0.1:$1/health/ready"; }

# ---------------------------------------------------------------- JDK 25 AOT cache (JEP 483/514/515)
# A training run (-XX:AOTCacheOutput) records which classes the start loads, links and profiles;
# at its exit the JVM writes them to a cache file that later starts map in (-XX:AOTCache). The
# JVM refuses a cache whose jar changed (path, size or mtime) or that another JDK build wrote, and
# then starts without it, printing an error. To never even try a stale cache, the file name
# carries the jar's SHA-256 and mtime and the JDK's exact version: a rebuilt jar or another JDK
# looks for a file that does not exist yet, and `up` trains it.
# WEBOOK_AOT=off disables the cache (and training); on a JDK without the flags (21-24) it is off.

# Sets AOT_ON (1/0) and JDK_VERSION for the JDK find_jdk selected.
aot_probe() {
  [ -n "${AOT_ON:-}" ] && return 0
  local out
  out=$(java -XX:+PrintFlagsFinal -XshowSettings:properties -version 2>&1 || true)
  JDK_VERSION=$(awk -F'= ' '/java.runtime.version/ {print $2; exit}' <<<"$out")
  AOT_ON=0
  if [ "${WEBOOK_AOT:-auto}" != off ] && grep -qw AOTCacheOutput <<<"$out"; then AOT_ON=1; fi
}

# Sets AOT_CACHE to the cache file for a jar (absolute path; it may not exist yet). Hashing a
# fat jar takes a moment on a busy machine: once per jar and run.
declare -A AOT_CACHE_FILES=()
aot_cache_file() {
  local jar=$1 sum
  if [ -z "${AOT_CACHE_FILES[$jar]:-}" ]; then
    sum=$(sha256sum "$jar" | cut -c1-16)
    AOT_CACHE_FILES[$jar]="$(dirname "$jar")/aot/$(basename "$jar" .jar)-$sum-$(stat -c %Y "$jar")-jdk${JDK_VERSION//[^0-9A-Za-z.]/_}.aot"
  fi
  AOT_CACHE=${AOT_CACHE_FILES[$jar]}
}

# The JVM flags to start <module>'s jar with: JVM_OPTS, plus -XX:AOTCache when a cache for this
# exact jar and JDK exists.
java_opts() {
  local jar
  aot_probe
  jar=$(service_jar "$1"); [ -n "$jar" ] || die "no jar for $1; run the build"
  printf '%s ' "${JVM_OPTS[@]}"
  if [ "$AOT_ON" = 1 ]; then
    aot_cache_file "$jar"
    if [ -f "$AOT_CACHE" ]; then printf -- '-XX:AOTCache=%s' "$AOT_CACHE"; fi
  fi
  echo
}

# Log lines of a process written since byte <offset> of its log: the last ERROR / "cannot start"
# line if there is one, else the last lines.
log_excerpt() {
  local log=$1 offset=${2:-0} lines
  [ -f "$log" ] || { echo "    (no log at $log)"; return; }
  lines=$(tail -c +"$((offset + 1))" "$log" | grep -E 'ERROR|cannot start|Error:|Exception in thread' | tail -n 3 || true)
  [ -n "$lines" ] || lines=$(tail -c +"$((offset + 1))" "$log" | tail -n 8 || true)
  sed 's/^/    /' <<<"$lines"
}

now_ms() { NOW_MS=$((${EPOCHREALTIME//[!0-9]/} / 1000)); }
secs_since() { now_ms; awk -v ms=$((NOW_MS - $1)) 'BEGIN { printf "%.1f", ms / 1000 }'; }

# ---------------------------------------------------------------- starting one process
declare -A LOG_OFFSET=() STARTED_MS=()
# The stack's endpoints (WEBOOK_ETCD_ENDPOINTS, _MYSQL_URL, _REDIS_URL, _KAFKA_BOOTSTRAP...),
# handed to every process explicitly: a stack on other ports (WEBOOK_STACK_*_PORT) is followed.
STACK_VARS=()
load_stack_vars() { mapfile -t STACK_VARS < <(stack_env | sed -n 's/^export //p'); }

# spawn_service <name> <module> <port> <admin> <note> [VAR=value...] -- [java flag...]
# Starts the module's jar with the stack's endpoints, the ports given and the flags given; its
# output is appended to $LOG_DIR/<name>.log after a marker line, and LOG_OFFSET[name] remembers
# where this start's lines begin.
spawn_service() {
  local name=$1 module=$2 port=$3 admin=$4 note=$5 jar log extra_env=()
  shift 5
  while [ $# -gt 0 ] && [ "$1" != -- ]; do extra_env+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  jar=$(service_jar "$module"); [ -n "$jar" ] || die "no jar for $module; run the build"
  local port_var=WEBOOK_GRPC_PORT
  [ "$module" = bff-gateway ] && port_var=WEBOOK_HTTP_PORT
  [ ${#STACK_VARS[@]} -gt 0 ] || load_stack_vars
  log=$LOG_DIR/$name.log
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  echo "==== $(date '+%F %T') webook: starting $name$note ====" >>"$log"
  LOG_OFFSET[$name]=$(stat -c %s "$log")
  now_ms; STARTED_MS[$name]=$NOW_MS
  spawn "$name" env "${STACK_VARS[@]}" "$port_var=$port" WEBOOK_ADMIN_PORT="$admin" "${extra_env[@]}" \
    java "${JVM_OPTS[@]}" "$@" -Dwebook.module="$module" -jar "$jar"
  echo "$port $admin" >"$RUN_DIR/$name.ports"
}

# Waits until the process answers /health/ready. 0: ready; 1: it exited; 2: not in time.
wait_ready() {
  local admin=$1 pid=$2 deadline=$((SECONDS + ${WEBOOK_READY_TIMEOUT:-180}))
  until http_ready "$admin"; do
    if ! pid_alive "$pid"; then wait "$pid" 2>/dev/null || true; return 1; fi
    [ $SECONDS -lt $deadline ] || return 2
    sleep 0.25
  done
}

# aot_train <name> <module> <port> <admin>: trains the AOT cache of the module's current jar.
# The training run starts against the stack like the real process (same ports, same etcd
# namespace, so it exercises the same start path, connects included); once it is ready it gets
# SIGTERM, and on exit the JVM writes the cache (a child JVM assembles it: a few seconds). It is
# written under a temporary name and renamed, so no start ever maps a half-written file.
# Returns 1 if the training did not complete; the caller then starts without a cache.
aot_train() {
  local name=$1 module=$2 port=$3 admin=$4 jar cache tmp pid rc=0 t0 deadline
  jar=$(service_jar "$module"); aot_cache_file "$jar"; cache=$AOT_CACHE
  tmp="$cache.$$.tmp"
  mkdir -p "$(dirname "$cache")"
  # Left by a training that was interrupted (an `up` stopped with Ctrl-C).
  find "$(dirname "$cache")" -maxdepth 1 -name '*.tmp' -mmin +30 -delete
  now_ms; t0=$NOW_MS
  spawn_service "$name" "$module" "$port" "$admin" " (AOT training run)" WEBOOK_GRPC_DRAIN_WINDOW=0s -- \
    -XX:AOTCacheOutput="$tmp" -Xlog:aot=error
  pid=$(read_pid "$name")
  wait_ready "$admin" "$pid" || rc=$?
  if [ $rc = 0 ]; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 300))
    while pid_alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.25; done
  fi
  if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.ports"
  if [ $rc = 0 ] && [ -s "$tmp" ]; then
    # Only the cache of the current jar is kept: older ones belong to jars that no longer exist.
    find "$(dirname "$cache")" -maxdepth 1 -name "$(basename "$jar" .jar)-*.aot" ! -name "$(basename "$cache")" -delete
    mv -f "$tmp" "$cache"
    echo "trained the AOT cache of $module in $(secs_since "$t0") s: $cache"
    return 0
  fi
  rm -f "$tmp"
  warn "AOT training of $module did not complete ($(case $rc in 1) echo "it exited" ;; 2) echo "not ready in time" ;; *) echo "no cache written" ;; esac)); starting it without a cache. Its log says:"
  log_excerpt "$LOG_DIR/$name.log" "${LOG_OFFSET[$name]}" >&2
  return 1
}
