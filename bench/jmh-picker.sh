#!/usr/bin/env bash
# JMH: our smooth weighted round-robin picker vs grpc-java's round_robin picker, 3/10/100
# endpoints, 1 and 4 threads, with the GC profiler (allocation per pick). Extra arguments go to
# JMH, e.g. `bench/jmh-picker.sh -wi 1 -i 2` for a quick look.
set -euo pipefail
source "$(dirname "$0")/../deploy/local/lib/common.sh"
find_jdk
cd "$ROOT"
# exec:exec runs on platform alone, so its upstream modules must be in the local repository.
./mvnw -B -ntp -q -pl platform -am install -DskipTests
./mvnw -B -ntp -q -pl platform exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  "-Dexec.args=-cp %classpath org.openjdk.jmh.Main PickerBenchmark -prof gc -rf text -rff $ROOT/platform/target/jmh-picker.txt $*"
echo "results: platform/target/jmh-picker.txt"
