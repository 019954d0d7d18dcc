#!/usr/bin/env bash
# make dev: builds Ward when sources changed since the last build, then starts the stack.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME

stamp=.ward/build.stamp
mkdir -p .ward
needs_build() {
  [ -f "$stamp" ] || return 0
  [ -f control-plane/target/quarkus-app/quarkus-run.jar ] || return 0
  [ -f agent/target/ward-agent.jar ] || return 0
  [ -n "$(find . -path ./.ward -prune -o -path '*/target' -prune -o -path '*/node_modules' -prune -o \
          \( -name '*.java' -o -name 'pom.xml' -o -name '*.proto' -o -name '*.properties' -o -name '*.sql' \) \
          -newer "$stamp" -print -quit)" ]
}
if needs_build; then
  echo "Building Ward (the first build downloads dependencies and takes a few minutes)…"
  ./mvnw -B -ntp -q install -DskipTests
  touch "$stamp"
fi

flags=(--enable-native-access=ALL-UNNAMED)
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")" -ge 24 ]; then
  flags+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$JAVA_HOME/bin/java" "${flags[@]}" -Dward.home="$PWD" \
  -cp "stack/target/ward-stack-0.1.0-SNAPSHOT.jar:stack/target/lib/*" dev.ward.stack.DevStack
