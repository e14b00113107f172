# shellcheck shell=bash
# Shared by the benchmarks that run a main class from a module's test sources on the local stack
# (bench/intr-rpc.sh, bench/ingest.sh): builds the module through the reactor
# and runs the class from target/ with the module's test classpath.
#
#   run_test_main <module> <class> [args...]      (needs_stack first when it uses the stack)
set -euo pipefail
BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../deploy/local/lib/common.sh
source "$BENCH_LIB_DIR/../../deploy/local/lib/common.sh"
find_jdk
cd "$ROOT"

# The stack's endpoints: those already exported (a stack another worktree started:
# eval "$(deploy/local/stack env)"), else this worktree's .local/stack.env.
needs_stack() {
  [ -n "${WEBOOK_MYSQL_URL:-}" ] && return 0
  [ -f .local/stack.env ] || die "no stack: run deploy/local/stack up, or export its endpoints (eval \"\$(deploy/local/stack env)\")"
  # shellcheck disable=SC1091
  source .local/stack.env
}

run_test_main() {
  local module=$1 class=$2
  shift 2
  ./mvnw -B -ntp -q -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
  local cp="$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(cat "$module/target/test-classpath.txt")"
  java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$class" "$@" 2>&1 \
    | grep -v -E '^[0-9:.]+ (INFO|DEBUG) '
}
