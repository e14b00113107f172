# shellcheck shell=bash
# The service processes of deploy/local/webook (and bench/startup.sh): which ones, on which ports,
# with which JVM flags, and the JDK 25 AOT cache of each jar. Sourced after lib/common.sh, never run.

# name  module  gRPC-or-HTTP port  admin port   (dev ports, SPEC §1; start order = this order:
# every process starts after the ones it calls, so the BFF, ready only once user-svc answers, is last)
SERVICES=(
  "user-svc-1 user-svc 8091 9091"
  "article-svc-1 article-svc 8097 9097"
  "article-svc-2 article-svc 8197 9197"
  "interactive-svc-1 interactive-svc 8094 9094"
  "interactive-svc-2 interactive-svc 8194 9194"
  "ranking-svc-1 ranking-svc 8092 9092"
  "bff bff-gateway 8080 9080"
)
MODULES=(user-svc article-svc interactive-svc ranking-svc bff-gateway)

# WEBOOK_PORT_OFFSET moves every service port (not the stack's: WEBOOK_STACK_*_PORT do that), so a
# second set of services can run next to the first (deploy/local/test-up does).
PORT_OFFSET=${WEBOOK_PORT_OFFSET:-0}
[[ $PORT_OFFSET =~ ^[0-9]+$ ]] && [ "$PORT_OFFSET" -le 55000 ] ||
  die "WEBOOK_PORT_OFFSET=$PORT_OFFSET: expected a whole number from 0 to 55000"

# The same flags for the training run and every start: a cache is only valid for the flags it was
# trained with. SerialGC and a small heap: seven JVMs share a small machine.
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

# The cache file for a jar (absolute path; it may not exist yet). Hashing a fat jar takes a
# moment on a busy machine: once per jar and run.
declare -A AOT_CACHE_FILES=()
aot_cache_file() {
  local jar=$1 sum
  if [ -z "${AOT_CACHE_FILES[$jar]:-}" ]; then
    sum=$(sha256sum "$jar" | cut -c1-16)
    AOT_CACHE_FILES[$jar]="$(dirname "$jar")/aot/$(basename "$jar" .jar)-$sum-$(stat -c %Y "$jar")-jdk${JDK_VERSION//[^0-9A-Za-z.]/_}.aot"
  fi
  echo "${AOT_CACHE_FILES[$jar]}"
}

# The JVM flags to start <module>'s jar with: JVM_OPTS, plus -XX:AOTCache when a cache for this
# exact jar and JDK exists.
java_opts() {
  local jar cache
  aot_probe
  jar=$(service_jar "$1"); [ -n "$jar" ] || die "no jar for $1; run the build"
  printf '%s ' "${JVM_OPTS[@]}"
  if [ "$AOT_ON" = 1 ]; then
    cache=$(aot_cache_file "$jar")
    [ -f "$cache" ] && printf -- '-XX:AOTCache=%s' "$cache"
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
