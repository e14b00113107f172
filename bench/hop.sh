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
# one user-svc, article-svc and interactive-svc (the BFF is ready only once every channel it calls
# is connected) and the BFF on ports moved by WEBOOK_PORT_OFFSET (default 4000), in a private etcd
# namespace, with the same JVM flags (and AOT cache, if trained) as `webook up`, and stops them at
# the end. wrk: 2 threads, 8 connections (WRK_THREADS, WRK_CONNECTIONS), from this machine — so
# wrk, the BFF, user-svc and Redis share its cores, as they did when the issue was measured.
# Settings of bench/lib/routes.sh: BENCH_WARMUP, BENCH_JFR=1, BENCH_JAVA_OPTS.
# HOP_USER_ENV / HOP_BFF_ENV add VAR=value settings to user-svc / the BFF (experiments, e.g.
# HOP_BFF_ENV=WEBOOK_LOG_LEVEL=WARN).
BENCH_NAME=hop
# shellcheck source=lib/routes.sh
source "$(dirname "$0")/lib/routes.sh"
SECS=${1:-10}
ROUNDS=${2:-3}
# shellcheck disable=SC2206 # HOP_*_ENV hold several VAR=value words
USER_ENV=(${HOP_USER_ENV:-}) BFF_ENV=(${HOP_BFF_ENV:-})
start_suite
login
api GET /users/profile | grep -q '"Email"' || die "GET /users/profile did not return the user"
# The profile path runs far more code than /hello (gRPC client and server, Netty, protobuf, two
# more Redis round trips): the warm-up lets the JIT compile it first.
compare /users/profile "$SECS" "$ROUNDS" /users/profile "Authorization: Bearer $TOKEN"
