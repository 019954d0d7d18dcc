#!/usr/bin/env bash
# Runs the masking throughput benchmark (JMH). One operation masks 1 MB of ASCII text on one
# thread, so the Score column (ops/s) reads as MB/s per core.
# Usage: bench/masking/run.sh [extra JMH options, e.g. -p rules=full -p text=clean]
#        bench/masking/run.sh --cpu [CPU seconds per case]   (MB per CPU-second of the masking
#        thread: steady on a machine whose cores other processes share, unlike wall-clock rates)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(scripts/java-home.sh)}"
export JAVA_HOME
./mvnw -q -pl policy install -DskipTests
./mvnw -q -pl bench/masking package -DskipTests
CLASSPATH_FILE=bench/masking/target/classpath.txt
./mvnw -q -pl bench/masking dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="bench/masking/target/classes:$(cat "$CLASSPATH_FILE")"
if [[ "${1:-}" == "--cpu" ]]; then
  shift
  exec "$JAVA_HOME/bin/java" -cp "$CP" dev.ward.bench.masking.CpuThroughput "$@"
fi
exec "$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main MaskingBenchmark "$@"
