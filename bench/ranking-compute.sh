#!/usr/bin/env bash
# The hot list's computation over real services (issue 10): wall time, allocation and retained
# heap of ranking-svc's HotListComputer.compute() over <articles> published articles spread over
# 7 days, against the bare paging (ListPub + GetByIds per page of 100, nothing scored) over the
# same rows, alternating rounds in the same run: see ComputeBench. Starts user-svc, article-svc
# and interactive-svc from their shaded jars (build them first: ./mvnw install -DskipTests or
# deploy/local/webook build) on databases of their own, seeds them, and drops them at the end.
# Builds ranking-svc's test classes through the reactor and runs from target/; needs a running
# stack (deploy/local/stack up).
#
#   bench/ranking-compute.sh [articles, default 100000] [rounds, default 3]
source "$(dirname "$0")/lib/test-main.sh"
needs_stack
for module in user-svc article-svc interactive-svc; do
  ls "$module"/target/*-all.jar >/dev/null 2>&1 || die "no jar for $module: ./mvnw install -DskipTests"
done
run_test_main ranking-svc com.webook.ranking.bench.ComputeBench "$@"
