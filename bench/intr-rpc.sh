#!/usr/bin/env bash
# interactive-svc's Get and GetByIds(100) latency p50/p99, warm (issue 9), against the standard
# health check on the same server and channel in the same run: see RpcLatencyBench. Builds
# through the reactor and runs from target/; needs a running stack (deploy/local/stack up).
#
#   bench/intr-rpc.sh [calls per RPC, default 20000]
source "$(dirname "$0")/lib/test-main.sh"
needs_stack
run_test_main interactive-svc com.webook.interactive.bench.RpcLatencyBench "$@"
