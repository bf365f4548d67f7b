#!/usr/bin/env bash
# Regenerates the committed CRDs (crds/ and charts/flotilla/crds/) from the Java CR classes, the
# same way the Quarkus build generates operator/target/kubernetes/*-v1.yml. CrdDriftTest fails
# until the copies are regenerated after a change to the CR classes or core's spec classes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator -am -Dflotilla.updateCrds -DskipTests process-test-classes "$@"
