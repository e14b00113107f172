#!/usr/bin/env bash
# interactive-svc's Get and GetByIds(100) latency p50/p99, warm (issue 9), against the standard
# health check on the same server and channel in the same run: see RpcLatencyBench. Builds
# through the reactor and runs from target/; needs a running stack (deploy/local/stack up).
#
#   bench/intr-rpc.sh [calls per RPC, default 20000]
set -euo pipefail
source "$(dirname "$0")/../deploy/local/lib/common.sh"
find_jdk
cd "$ROOT"
[ -f .local/stack.env ] || die "no stack: run deploy/local/stack up"
# shellcheck disable=SC1091
source .local/stack.env
./mvnw -B -ntp -q -pl interactive-svc -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="$ROOT/interactive-svc/target/test-classes:$ROOT/interactive-svc/target/classes:$(cat interactive-svc/target/test-classpath.txt)"
java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn com.webook.interactive.bench.RpcLatencyBench "$@" 2>&1 \
  | grep -v -E '^[0-9:.]+ (INFO|DEBUG) '
