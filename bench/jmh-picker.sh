#!/usr/bin/env bash
# JMH: our smooth weighted round-robin picker vs grpc-java's round_robin picker, 3/10/100
# endpoints, 1 and 4 threads, with the GC profiler (allocation per pick). Extra arguments go to
# JMH, e.g. `bench/jmh-picker.sh -wi 1 -i 2` for a quick look.
#
# Builds through the reactor and runs from target/ (nothing is installed into ~/.m2, so a
# benchmark run never leaks this checkout's SNAPSHOTs into other builds).
set -euo pipefail
source "$(dirname "$0")/../deploy/local/lib/common.sh"
find_jdk
cd "$ROOT"
./mvnw -B -ntp -q -pl platform -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="$ROOT/platform/target/test-classes:$ROOT/platform/target/classes:$(cat platform/target/test-classpath.txt)"
java -cp "$cp" org.openjdk.jmh.Main PickerBenchmark -prof gc \
  -rf text -rff "$ROOT/platform/target/jmh-picker.txt" "$@"
echo "results: platform/target/jmh-picker.txt"
