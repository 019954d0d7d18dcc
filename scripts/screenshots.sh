#!/usr/bin/env bash
# make screenshots: runs the console's browser test (ConsoleIT: real Keycloak, control plane,
# agent, PostgreSQL and S3; web-console/e2e/console.e2e.mjs in headless chromium) and keeps a
# 1280x800 PNG of each page it visits in docs/screenshots/. See docs/console.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME

out="$PWD/docs/screenshots"
staging="$PWD/integration-tests/target/screenshots"
rm -rf "$staging"
./mvnw -B -ntp -q -pl cli,integration-tests -am verify \
  -Dit.test=ConsoleIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  -Dward.screenshots="$staging"
# a failed run leaves failure.png behind and never gets here (set -e)
mkdir -p "$out"
rm -f "$out"/*.png
cp "$staging"/*.png "$out"/
ls -l "$out"
