#!/usr/bin/env bash
# Long fuzzing run: each Jazzer fuzz test fuzzed in turn for a time budget (default 2m each).
# Findings are written next to the seeds (src/test/resources/.../<Class>Inputs/<method>/crash-*)
# and fail the run; the corpus Jazzer grows sits in each module's .cifuzz-corpus/ (not committed)
# so later runs continue from it.
# Usage: bench/fuzz.sh [duration per target, e.g. 30s, 2m, 1h]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="${JAVA_HOME:-$(scripts/java-home.sh)}"
export JAVA_HOME
export JAZZER_MAX_DURATION="${1:-2m}"
TARGETS=(
  "agent FrontendParserFuzzTest#clientBytesAreFramedAndParsedOrRefused"
  "agent FrontendParserFuzzTest#upstreamRowsAreDecodedOrRefused"
  "agent GrantVerifierFuzzTest#anyTokenYieldsAGrantOrARejection"
  "agent GrantVerifierFuzzTest#signedClaimsAreCheckedBehindTheSignature"
  "recording RecordingFuzzTest#readerAndVerifierTakeAnySegment"
  "recording RecordingFuzzTest#verifierTakesAnyManifest"
  "control-plane SlackRequestSignatureFuzzTest#signatureCheckRefusesOrAcceptsOnlyWhatSlackSigned"
)
./mvnw -q -B -ntp install -DskipTests -pl agent,recording,control-plane -am
failed=0
for target in "${TARGETS[@]}"; do
  read -r module test <<<"$target"
  echo "fuzzing $test ($module) for $JAZZER_MAX_DURATION"
  if ! ./mvnw -q -B -ntp -o -pl "$module" surefire:test -Dward.fuzz="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$module/target/fuzz-${test//#/-}.log" 2>&1; then
    echo "  FINDING: see $module/target/fuzz-${test//#/-}.log"
    failed=1
  else
    grep -a "^Done [0-9]* runs" "$module/target/fuzz-${test//#/-}.log" | tail -1 | sed 's/^/  /'
  fi
done
exit $failed
