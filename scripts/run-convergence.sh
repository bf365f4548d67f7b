#!/usr/bin/env bash
# Regenerates docs/results-convergence.md (its generated part) and docs/results/convergence/: the
# server optimizer study (FedAvg and FlexLoRA with and without server optimizers on a domain split,
# a label skew and 32 IID clients, plus the centralised reference and the untrained baseline),
# through the aggregator's RoundAggregation path. Resumable: runs whose CSV exists are skipped.
# Usage: scripts/run-convergence.sh [--seeds 42,43 --rounds 8 --stop-after-minutes 50]
#        (see: scripts/run-convergence.sh --help)
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
  dev.flotilla.experiments.ConvergenceMain --command "scripts/run-convergence.sh $*" "$@"
