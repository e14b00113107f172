#!/usr/bin/env bash
# Read-event ingestion throughput end to end from Kafka (issue 9): interactive-svc's consumer
# against a plain batched JDBC upsert of the same records and batch size, alternating rounds in
# the same run, then the end-to-end delay p50/p99 at 50% of the measured throughput: see
# IngestBench. Builds through the reactor and runs from target/; needs a running stack
# (deploy/local/stack up). Takes about 2-4 minutes with the defaults.
#
#   bench/ingest.sh [events, default 200000] [rounds, default 3]
source "$(dirname "$0")/lib/test-main.sh"
needs_stack
run_test_main interactive-svc com.webook.interactive.bench.IngestBench "$@"
