#!/usr/bin/env bash
# Runs the masking throughput benchmark (JMH). One operation masks 1 MB of ASCII text on one
# thread, so the Score column (ops/s) reads as MB/s per core.
# Usage: bench/masking/run.sh [extra JMH options, e.g. -p rules=full -p text=clean]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-$(scripts/java-home.sh)}"
export JAVA_HOME
./mvnw -q -pl policy install -DskipTests
./mvnw -q -pl bench/masking package -DskipTests
CLASSPATH_FILE=bench/masking/target/classpath.txt
./mvnw -q -pl bench/masking dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -cp "bench/masking/target/classes:$(cat "$CLASSPATH_FILE")" \
  org.openjdk.jmh.Main MaskingBenchmark "$@"
