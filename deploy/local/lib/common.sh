# shellcheck shell=bash
# Shared by deploy/local/stack and deploy/local/webook. Sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# Everything the local stack owns lives under one git-ignored folder.
LOCAL_DIR=${WEBOOK_LOCAL_DIR:-$ROOT/.local}
DATA_DIR=$LOCAL_DIR/data
RUN_DIR=$LOCAL_DIR/run
LOG_DIR=$LOCAL_DIR/logs
TOOLS_DIR=$LOCAL_DIR/tools

# Dev ports (SPEC §1). Private instances: never the system services on the default ports.
# WEBOOK_STACK_*_PORT move a second stack elsewhere (deploy/local/test-stack does).
ETCD_PORT=${WEBOOK_STACK_ETCD_PORT:-12379}
ETCD_PEER_PORT=${WEBOOK_STACK_ETCD_PEER_PORT:-12380}
MYSQL_PORT=${WEBOOK_STACK_MYSQL_PORT:-13316}
REDIS_PORT=${WEBOOK_STACK_REDIS_PORT:-16379}
KAFKA_PORT=${WEBOOK_STACK_KAFKA_PORT:-19094}
KAFKA_CONTROLLER_PORT=${WEBOOK_STACK_KAFKA_CONTROLLER_PORT:-19095}

info() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Finds a JDK >= 21: JAVA_HOME first, then the newest one in the system's JVM directory.
# Exports JAVA_HOME and puts its bin first on PATH.
find_jdk() {
  local cand major best="" best_major=0
  java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
  }
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then
      best=$JAVA_HOME
    else
      warn "JAVA_HOME=$JAVA_HOME is Java ${major:-?}; looking for a JDK >= 21 in /usr/lib/jvm"
    fi
  fi
  if [ -z "$best" ]; then
    for cand in /usr/lib/jvm/*; do
      [ -x "$cand/bin/javac" ] && [ ! -L "$cand" ] || continue
      major=$(java_major "$cand")
      if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
        best=$cand best_major=$major
      fi
    done
  fi
  [ -n "$best" ] || die "no JDK >= 21 found (checked JAVA_HOME and /usr/lib/jvm/*). Install one, e.g. 'apt-get install temurin-21-jdk' or openjdk-21-jdk, and set JAVA_HOME."
  export JAVA_HOME=$best
  export PATH=$JAVA_HOME/bin:$PATH
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (no sudo available)"
  fi
}

# Installs the Debian packages that are missing. Package installation must not start the
# distribution's own services: we run private instances and the default ports may be taken.
ensure_packages() {
  local missing=() pkg bin
  for pair in etcd-server:/usr/bin/etcd mariadb-server:/usr/sbin/mariadbd redis-server:/usr/bin/redis-server mariadb-client:/usr/bin/mariadb; do
    pkg=${pair%%:*} bin=${pair#*:}
    [ -x "$bin" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  info "installing Debian packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e $policy ]; then
    # exit 101 = "action forbidden": dpkg installs the package without starting its service
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy" && created_policy=1
  fi
  local rc=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 || {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 || rc=$?
  }
  [ $created_policy = 1 ] && as_root rm -f $policy
  [ $rc = 0 ] || die "apt-get install ${missing[*]} failed (see $LOG_DIR/apt.log)"
}

# Is something listening on 127.0.0.1:<port>?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuses to start when the port is taken by a process that is not ours.
check_port_free() {
  local name=$1 port=$2
  if port_open "$port"; then
    die "port $port (needed by $name) is already in use by another process. Stop it, or run 'deploy/local/stack status' to see what is ours."
  fi
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

read_pid() { [ -f "$RUN_DIR/$1.pid" ] && tr -dc '0-9' <"$RUN_DIR/$1.pid" || true; }

# The pid file is ours only if that pid is still the process we started (pids are reused).
running_pid() {
  local name=$1 pid
  pid=$(read_pid "$name")
  if pid_alive "$pid" && grep -qa -- "${2:-}" "/proc/$pid/cmdline" 2>/dev/null; then echo "$pid"; fi
}

# Starts "$@" in the background in its own session, logging to $LOG_DIR/<name>.log.
spawn() {
  local name=$1; shift
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  setsid nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

# Stops a process we started: SIGTERM, wait, then SIGKILL. Only the pid from our pid file.
stop_pid() {
  local name=$1 marker=$2 pid i
  pid=$(running_pid "$name" "$marker")
  if [ -z "$pid" ]; then rm -f "$RUN_DIR/$name.pid"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 ${3:-60}); do pid_alive "$pid" || break; sleep 0.5; done
  if pid_alive "$pid"; then warn "$name (pid $pid) did not stop in time; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$RUN_DIR/$name.pid"
  echo "stopped $name (pid $pid)"
}

# Waits until "$@" succeeds, up to $timeout seconds.
wait_until() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# The endpoints integration tests and services read (SPEC §11 names).
stack_env() {
  cat <<ENV
export WEBOOK_ETCD_ENDPOINTS=http://127.0.0.1:$ETCD_PORT
export WEBOOK_MYSQL_URL=jdbc:mariadb://127.0.0.1:$MYSQL_PORT/
export WEBOOK_MYSQL_USER=root
export WEBOOK_MYSQL_PASSWORD=
export WEBOOK_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export WEBOOK_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
ENV
}
